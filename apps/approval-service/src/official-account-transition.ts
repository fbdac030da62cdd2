import { ApiProperty } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { OFFICIAL_ACCOUNT_STREAM_TYPE, OfficialAccountCommand, OfficialAccountActor, OfficialAccountState, officialAccountDecider } from '@conduct/approvals-domain';
import { EventStore, executeCommand } from '@conduct/event-store';
import { MessagingLifecycle, StreamCommandContext } from '@conduct/service-runtime';
import { actorOf } from './approval-actor';

/** What suspend and reinstate answer; the version is also the ETag. */
export class OfficialAccountChanged {
  @ApiProperty({ format: 'uuid' }) accountId!: string;
  @ApiProperty({ enum: ['active', 'suspended'], example: 'suspended' }) status!: string;
  @ApiProperty({ example: 2, description: 'The stream version, also sent as ETag: pass it as If-Match on the next transition.' })
  version!: number;
}

/**
 * Runs a transition on an existing account (suspend, reinstate): the If-Match version is checked
 * against the stream before deciding (412 when stale), and the events carry the owning unit's
 * jurisdiction from the account's state.
 */
export async function runOfficialAccountTransition(
  store: EventStore,
  messaging: MessagingLifecycle,
  context: StreamCommandContext,
  now: string,
  build: (actor: OfficialAccountActor) => OfficialAccountCommand,
): Promise<OfficialAccountChanged> {
  const { principal } = context;
  const result = await executeCommand(
    store,
    officialAccountDecider,
    { id: context.streamId, type: OFFICIAL_ACCOUNT_STREAM_TYPE },
    build({ id: principal.subject, roles: principal.roles, scope: principal.scope }),
    {
      metadata: (state: OfficialAccountState) => ({
        actor: actorOf(principal),
        correlationId: context.correlationId,
        occurredAt: now,
        ...(state.status === 'none' ? {} : { jurisdiction: { ...state.account.jurisdiction } }),
      }),
      ...(context.ifMatchVersion === undefined ? {} : { ifMatchVersion: context.ifMatchVersion }),
    },
  );
  if (result.events.length > 0) messaging.nudgeRelay();
  return { accountId: context.streamId, status: result.state.status, version: result.version };
}

export function withETag(changed: OfficialAccountChanged, response: ServerResponse): OfficialAccountChanged {
  response.setHeader('ETag', `"${changed.version}"`);
  return changed;
}
