import { Inject, Injectable } from '@nestjs/common';
import { Principal } from '@conduct/auth';
import { Decider } from '@conduct/decider';
import { Actor, EventStore, ExecuteResult, executeCommand, StreamRef } from '@conduct/event-store';
import { Jurisdiction } from '@conduct/jurisdiction';
import { CLOCK, Clock } from './clock';
import { MessagingLifecycle } from './messaging-lifecycle';

/** Who asked, as an HTTP request (or a watcher acting as the system) hands it over. */
export interface StreamCommandRequest {
  principal: Principal;
  correlationId: string;
  /** The version the caller saw (If-Match); a mismatch answers 412. */
  ifMatchVersion?: number;
  idempotency?: { key: string; requestHash: string };
  /** The event that caused this command, when one did (a watcher acting on a due notice): its eventId. */
  causationId?: string;
}

/** The principal as the events record it: who, in which role, from which unit. */
export const eventActorOf = (principal: Principal): Actor => ({
  id: principal.subject,
  role: principal.roles[0] ?? 'UNKNOWN',
  ...(principal.scope.unit ? { unitId: principal.scope.unit } : {}),
});

/**
 * Runs a caller's command on one stream: the part every use case shares. The time is taken once
 * from the clock, the events' metadata names the caller, the correlation id and the aggregate's
 * jurisdiction (reports and scope checks downstream use it), If-Match is checked, and the relay
 * is nudged so the events reach Kafka without waiting for its next poll.
 */
@Injectable()
export class StreamCommands {
  constructor(
    private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly messaging: MessagingLifecycle,
  ) {}

  now(): string {
    return this.clock.now().toISOString();
  }

  async execute<Command, State, Event extends { type: string; data: object }>(
    decider: Decider<Command, State, Event>,
    stream: StreamRef,
    request: StreamCommandRequest,
    build: (state: State, now: string) => Command,
    jurisdictionOf: (state: State, command: Command) => Jurisdiction | undefined,
  ): Promise<ExecuteResult<State>> {
    const now = this.now();
    const result = await executeCommand(this.store, decider, stream, (state) => build(state, now), {
      metadata: (state, command) => {
        const jurisdiction = jurisdictionOf(state, command);
        return {
          actor: eventActorOf(request.principal),
          correlationId: request.correlationId,
          ...(request.causationId ? { causationId: request.causationId } : {}),
          occurredAt: now,
          ...(jurisdiction ? { jurisdiction } : {}),
          ...(request.idempotency ? { idempotency: request.idempotency } : {}),
        };
      },
      ...(request.ifMatchVersion !== undefined ? { ifMatchVersion: request.ifMatchVersion } : {}),
    });
    if (result.events.length > 0) this.messaging.nudgeRelay();
    return result;
  }
}
