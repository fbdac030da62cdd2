import { Injectable } from '@nestjs/common';
import { Jurisdiction } from '@conduct/jurisdiction';
import { APPROVAL_STREAM_TYPE, ApprovalActor, ApprovalCommand, ApprovalEvent, ApprovalState, approvalDecider } from '@conduct/approvals-domain';
import { StreamCommandRequest, StreamCommands } from '@conduct/service-runtime';

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

export interface CommandRequest extends StreamCommandRequest {
  approvalId: string;
}

function jurisdictionOf(state: ApprovalState, command: ApprovalCommand): Jurisdiction | undefined {
  if (state.status !== 'none') return state.request.jurisdiction;
  return command.type === 'RequestApproval' ? command.data.jurisdiction : undefined;
}

/**
 * Runs one command against an approval stream: the shared part of every approval use case
 * (actor and time from the request, event metadata, If-Match, publishing without delay).
 */
@Injectable()
export class ApprovalCommands {
  constructor(private readonly streams: StreamCommands) {}

  now(): string {
    return this.streams.now();
  }

  async execute(request: CommandRequest, build: (context: CommandContext) => ApprovalCommand): Promise<ApprovalChanged> {
    const actor: ApprovalActor = { id: request.principal.subject, roles: request.principal.roles, scope: request.principal.scope };
    const result = await this.streams.execute(
      approvalDecider,
      { id: request.approvalId, type: APPROVAL_STREAM_TYPE },
      request,
      (state, now) => build({ actor, now, state }),
      jurisdictionOf,
    );
    return {
      approvalId: request.approvalId,
      status: result.state.status,
      version: result.version,
      events: result.events.map((event) => ({ type: event.type, data: event.data }) as ApprovalEvent),
    };
  }
}
