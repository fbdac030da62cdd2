import { Inject, Injectable } from '@nestjs/common';
import { Principal } from '@conduct/auth';
import { Decider, DomainError } from '@conduct/decider';
import { randomUUID } from 'node:crypto';
import {
  Actor,
  ConcurrencyError,
  EventStore,
  ExecuteResult,
  executeCommand,
  IdempotencyKeyReusedError,
  idempotentStreamId,
  requestHash,
} from '@conduct/event-store';
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

/** A command for one stream. */
export interface StreamRequest extends StreamCommandRequest {
  streamId: string;
}

/**
 * What the runner needs to know of one kind of stream (cases, approvals, official accounts, units):
 * its decider, where its events are filed, who the caller is to the decider, and the refusal its
 * creating command meets when the stream already exists.
 */
export interface StreamKind<Command, State, Event extends { type: string; data: object }, DeciderActor> {
  readonly streamType: string;
  readonly decider: Decider<Command, State, Event>;
  /** The jurisdiction the events are filed under (metadata): the stream's, or the creating command's. */
  jurisdictionOf(state: State, command: Command): Jurisdiction | undefined;
  /** The caller as the decider's commands name them. */
  actorOf(principal: Principal): DeciderActor;
  /** The DomainError code of "this stream already exists": a repeated create may be a retry. */
  readonly alreadyExists: string;
}

/** What a command is built from: the caller, the one time of the command, and the stream's state. */
export interface CommandInput<State, DeciderActor> {
  actor: DeciderActor;
  now: string;
  state: State;
}

export interface StreamChanged<State> extends ExecuteResult<State> {
  streamId: string;
}

/** How often a command without If-Match is decided again after losing the append race to another writer. */
const RACE_ATTEMPTS = 5;

/** The command runner of one kind of stream (see StreamCommands.of). */
export interface KindCommands<Command, State, DeciderActor> {
  /** Runs a command on the stream: If-Match checked, events recorded with the caller and the jurisdiction. */
  execute(request: StreamRequest, build: (input: CommandInput<State, DeciderActor>) => Command): Promise<StreamChanged<State>>;
  /**
   * Starts a stream. When it exists already and its first event was recorded for the same caller
   * under the same Idempotency-Key, this is a retry: the same request answers as the first time
   * (version 1), a different one is refused (422). Otherwise the decider's own refusal stands (409).
   */
  create(request: StreamRequest, build: (input: CommandInput<State, DeciderActor>) => Command): Promise<{ streamId: string; version: number }>;
}

/** The idempotency metadata of a creating request: its key and a hash of its body, when a key was sent. */
export function idempotencyOf(key: string | undefined, body: unknown): Pick<StreamCommandRequest, 'idempotency'> {
  return key ? { idempotency: { key, requestHash: requestHash(body) } } : {};
}

/** A new stream's id: derived from the caller and their Idempotency-Key (a retry meets the same stream), else random. */
export function newStreamId(scope: string, principal: Principal, key: string | undefined): string {
  return key ? idempotentStreamId(scope, principal.subject, key) : randomUUID();
}

/** The principal as the events record it: who, in which role, from which unit. */
export const eventActorOf = (principal: Principal): Actor => ({
  id: principal.subject,
  role: principal.roles[0] ?? 'UNKNOWN',
  ...(principal.scope.unit ? { unitId: principal.scope.unit } : {}),
});

/**
 * Runs a caller's command on one stream: the part every use case shares. The time is taken once
 * from the clock, the events' metadata names the caller, the correlation id and the stream's
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

  /** The runner for one kind of stream, typed by it: `streams.of(CASES).execute(command, ({ actor, now, state }) => ...)`. */
  of<Command, State, Event extends { type: string; data: object }, DeciderActor>(
    kind: StreamKind<Command, State, Event, DeciderActor>,
  ): KindCommands<Command, State, DeciderActor> {
    return {
      execute: (request, build) => this.execute(kind, request, build),
      create: (request, build) => this.create(kind, request, build),
    };
  }

  private async execute<Command, State, Event extends { type: string; data: object }, DeciderActor>(
    kind: StreamKind<Command, State, Event, DeciderActor>,
    request: StreamRequest,
    build: (input: CommandInput<State, DeciderActor>) => Command,
  ): Promise<StreamChanged<State>> {
    // Without If-Match the caller asked for no particular version: a command that lost the append
    // race to another writer of the stream is decided again on the stream as it now is (the rules
    // are checked again too). With If-Match, the race is the caller's conflict to resolve (409).
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.executeOnce(kind, request, build);
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || request.ifMatchVersion !== undefined || attempt >= RACE_ATTEMPTS) throw error;
      }
    }
  }

  private async executeOnce<Command, State, Event extends { type: string; data: object }, DeciderActor>(
    kind: StreamKind<Command, State, Event, DeciderActor>,
    request: StreamRequest,
    build: (input: CommandInput<State, DeciderActor>) => Command,
  ): Promise<StreamChanged<State>> {
    const now = this.now();
    const actor = kind.actorOf(request.principal);
    const stream = { id: request.streamId, type: kind.streamType };
    const result = await executeCommand(this.store, kind.decider, stream, (state) => build({ actor, now, state }), {
      metadata: (state, command) => {
        const jurisdiction = kind.jurisdictionOf(state, command);
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
    return { streamId: request.streamId, ...result };
  }

  /**
   * See KindCommands.create. A create that lost the append race to a concurrent one is decided
   * again by execute, where the decider now refuses it as "already exists": that refusal is the one
   * place a retry under the same Idempotency-Key is recognised.
   */
  private async create<Command, State, Event extends { type: string; data: object }, DeciderActor>(
    kind: StreamKind<Command, State, Event, DeciderActor>,
    request: StreamRequest,
    build: (input: CommandInput<State, DeciderActor>) => Command,
  ): Promise<{ streamId: string; version: number }> {
    try {
      const { streamId, version } = await this.execute(kind, request, build);
      return { streamId, version };
    } catch (error) {
      const exists = error instanceof DomainError && error.code === kind.alreadyExists;
      if (exists && request.idempotency && (await this.isRetry(request.streamId, request.principal, request.idempotency))) {
        return { streamId: request.streamId, version: 1 };
      }
      throw error;
    }
  }

  /** Whether the stream's first event was this caller's request under this key; the same key for another request is refused. */
  private async isRetry(streamId: string, principal: Principal, idempotency: { key: string; requestHash: string }): Promise<boolean> {
    const [first] = await this.store.readStream(streamId, { toVersion: 1 });
    const earlier = first?.metadata.idempotency;
    if (earlier?.key !== idempotency.key || first?.metadata.actor.id !== principal.subject) return false;
    if (earlier.requestHash !== idempotency.requestHash) throw new IdempotencyKeyReusedError(idempotency.key);
    return true;
  }
}
