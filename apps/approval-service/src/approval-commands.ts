import { Inject, Injectable } from '@nestjs/common';
import { Principal } from '@conduct/auth';
import { Jurisdiction } from '@conduct/jurisdiction';
import { APPROVAL_STREAM_TYPE, ApprovalActor, ApprovalCommand, ApprovalEvent, ApprovalState, approvalDecider } from '@conduct/approvals-domain';
import { EventStore, executeCommand } from '@conduct/event-store';
import { CLOCK, Clock, MessagingLifecycle } from '@conduct/service-runtime';
import { actorOf } from './approval-actor';

export interface CommandContext {
  actor: ApprovalActor;
  now: string;
  state: ApprovalState;
}

/** What every approval transition answers: the new status and the version (also the ETag). */
export interface ApprovalChanged {
  approvalId: string;
  status: ApprovalState['status'];
  version: number;
  events: ApprovalEvent[];
}

export interface CommandRequest {
  approvalId: string;
  principal: Principal;
  correlationId: string;
  ifMatchVersion?: number;
  idempotency?: { key: string; requestHash: string };
}

function jurisdictionOf(state: ApprovalState, command: ApprovalCommand): { jurisdiction?: Jurisdiction } {
  if (state.status !== 'none') return { jurisdiction: state.request.jurisdiction };
  return command.type === 'RequestApproval' ? { jurisdiction: command.data.jurisdiction } : {};
}

/**
 * Runs one command against an approval stream: the shared part of every approval use case
 * (actor and time from the request, event metadata, If-Match, publishing without delay).
 */
@Injectable()
export class ApprovalCommands {
  constructor(
    private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly messaging: MessagingLifecycle,
  ) {}

  now(): string {
    return this.clock.now().toISOString();
  }

  async execute(request: CommandRequest, build: (context: CommandContext) => ApprovalCommand): Promise<ApprovalChanged> {
    const now = this.now();
    const actor: ApprovalActor = { id: request.principal.subject, roles: request.principal.roles, scope: request.principal.scope };
    const result = await executeCommand(
      this.store,
      approvalDecider,
      { id: request.approvalId, type: APPROVAL_STREAM_TYPE },
      (state) => build({ actor, now, state }),
      {
        // Every event carries the request's jurisdiction: reports and scope checks downstream use it.
        metadata: (state, command) => ({
          actor: actorOf(request.principal),
          correlationId: request.correlationId,
          occurredAt: now,
          ...jurisdictionOf(state, command),
          ...(request.idempotency ? { idempotency: request.idempotency } : {}),
        }),
        ...(request.ifMatchVersion !== undefined ? { ifMatchVersion: request.ifMatchVersion } : {}),
      },
    );
    if (result.events.length > 0) this.messaging.nudgeRelay();
    return {
      approvalId: request.approvalId,
      status: result.state.status,
      version: result.version,
      events: result.events.map((event) => ({ type: event.type, data: event.data }) as ApprovalEvent),
    };
  }
}
