import { ApiProperty } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import {
  OFFICIAL_ACCOUNT_STREAM_TYPE,
  OfficialAccountActor,
  OfficialAccountCommand,
  OfficialAccountEvent,
  OfficialAccountState,
  officialAccountDecider,
} from '@conduct/approvals-domain';
import { StreamChanged, StreamKind } from '@conduct/event-sourcing';
import { approvalActorOf } from './approval-stream';

/** What suspend and reinstate answer; the version is also the ETag. */
export class OfficialAccountChanged {
  @ApiProperty({ format: 'uuid' }) accountId!: string;
  @ApiProperty({ enum: ['active', 'suspended'], example: 'suspended' }) status!: string;
  @ApiProperty({ example: 2, description: 'The stream version, also sent as ETag: pass it as If-Match on the next transition.' })
  version!: number;
}

/** Official-account streams for the command runner: events carry the owning unit's jurisdiction. */
export const OFFICIAL_ACCOUNTS: StreamKind<OfficialAccountCommand, OfficialAccountState, OfficialAccountEvent, OfficialAccountActor> = {
  streamType: OFFICIAL_ACCOUNT_STREAM_TYPE,
  decider: officialAccountDecider,
  jurisdictionOf: (state, command) => {
    if (state.status !== 'none') return { ...state.account.jurisdiction };
    return command.type === 'RegisterOfficialAccount' ? { ...command.data.jurisdiction } : undefined;
  },
  actorOf: approvalActorOf,
  alreadyExists: 'official-account.already-registered',
};

export function officialAccountChanged({ streamId, state, version }: StreamChanged<OfficialAccountState>): OfficialAccountChanged {
  return { accountId: streamId, status: state.status, version };
}

export function withETag(changed: OfficialAccountChanged, response: ServerResponse): OfficialAccountChanged {
  response.setHeader('ETag', `"${changed.version}"`);
  return changed;
}
