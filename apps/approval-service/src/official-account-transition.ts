import { ApiProperty } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import {
  OFFICIAL_ACCOUNT_STREAM_TYPE,
  OfficialAccountCommand,
  OfficialAccountActor,
  OfficialAccountState,
  officialAccountDecider,
} from '@conduct/approvals-domain';
import { Injectable } from '@nestjs/common';
import { Jurisdiction } from '@conduct/jurisdiction';
import { StreamCommandRequest, StreamCommands } from '@conduct/service-runtime';

/** What suspend and reinstate answer; the version is also the ETag. */
export class OfficialAccountChanged {
  @ApiProperty({ format: 'uuid' }) accountId!: string;
  @ApiProperty({ enum: ['active', 'suspended'], example: 'suspended' }) status!: string;
  @ApiProperty({ example: 2, description: 'The stream version, also sent as ETag: pass it as If-Match on the next transition.' })
  version!: number;
}

function jurisdictionOf(state: OfficialAccountState, command: OfficialAccountCommand): Jurisdiction | undefined {
  if (state.status !== 'none') return { ...state.account.jurisdiction };
  return command.type === 'RegisterOfficialAccount' ? { ...command.data.jurisdiction } : undefined;
}

/**
 * Runs one command on an official account's stream for a caller: register, suspend, reinstate.
 * The events carry the owning unit's jurisdiction; If-Match is checked (412 when stale).
 */
@Injectable()
export class OfficialAccountCommands {
  constructor(private readonly streams: StreamCommands) {}

  async execute(
    accountId: string,
    request: StreamCommandRequest,
    build: (actor: OfficialAccountActor, now: string) => OfficialAccountCommand,
  ): Promise<OfficialAccountChanged> {
    const { principal } = request;
    const actor: OfficialAccountActor = { id: principal.subject, roles: principal.roles, scope: principal.scope };
    const result = await this.streams.execute(
      officialAccountDecider,
      { id: accountId, type: OFFICIAL_ACCOUNT_STREAM_TYPE },
      request,
      (_state, now) => build(actor, now),
      jurisdictionOf,
    );
    return { accountId, status: result.state.status, version: result.version };
  }
}

export function withETag(changed: OfficialAccountChanged, response: ServerResponse): OfficialAccountChanged {
  response.setHeader('ETag', `"${changed.version}"`);
  return changed;
}
