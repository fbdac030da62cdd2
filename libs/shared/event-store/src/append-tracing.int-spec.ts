import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { createTestDatabase, type TestDatabase } from '@conduct/testing';
import { ConcurrencyError } from './errors';
import { EventStore } from './event-store';
import { eventStoreMigrations } from './migrations';
import { freshStreamId, newEvent } from './test-fixtures';

/*
 * The append is one step of a command's trace: its span is a child of the request's, and the
 * events keep its context for the relay, which publishes later, to continue.
 */
describe('EventStore append under a trace (PostgreSQL)', () => {
  let database: TestDatabase;
  let store: EventStore;
  const spans = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] });

  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
    database = await createTestDatabase(eventStoreMigrations, 'event_store_append_tracing');
    store = new EventStore(database.dataSource);
  });
  afterAll(async () => {
    await database.drop();
    trace.disable();
    propagation.disable();
    context.disable();
  });
  beforeEach(() => spans.reset());

  const storedTraceContext = async (streamId: string): Promise<(string | null)[]> => {
    const rows: { trace_context: string | null }[] = await database.dataSource.query(
      `SELECT trace_context FROM events WHERE stream_id = $1 ORDER BY stream_version`,
      [streamId],
    );
    return rows.map((row) => row.trace_context);
  };

  /** Runs `work` inside a span, as a request handler runs a command. */
  const inRequest = async <T>(work: () => Promise<T>): Promise<{ result: T; requestSpanId: string; traceId: string }> => {
    const request = trace.getTracer('test').startSpan('POST /cases', { kind: SpanKind.SERVER });
    try {
      const result = await context.with(trace.setSpan(context.active(), request), work);
      return { result, requestSpanId: request.spanContext().spanId, traceId: request.spanContext().traceId };
    } finally {
      request.end();
    }
  };

  it('records an append span under the request, and stores its context with every event', async () => {
    const streamId = freshStreamId();
    const { requestSpanId, traceId } = await inRequest(() =>
      store.append(streamId, 'case', 0, [newEvent('ViolationReported', { n: 1 }), newEvent('NoteAdded', { n: 2 })]),
    );

    const append = spans.getFinishedSpans().find((span) => span.name === 'append case');
    expect(append).toBeDefined();
    expect(append!.spanContext().traceId).toBe(traceId);
    expect(append!.parentSpanContext?.spanId).toBe(requestSpanId);
    expect(append!.attributes).toMatchObject({
      'conduct.stream.id': streamId,
      'conduct.stream.version': 2,
      'conduct.events': 2,
      'conduct.outcome': 'appended',
    });
    // The relay continues from the append, not from the request around it.
    const traceparent = `00-${traceId}-${append!.spanContext().spanId}-01`;
    expect(await storedTraceContext(streamId)).toEqual([traceparent, traceparent]);
  });

  it('ends the span of a lost race as a conflict, and stores nothing', async () => {
    const streamId = freshStreamId();
    await store.append(streamId, 'case', 0, [newEvent('ViolationReported', { n: 1 })]);

    await expect(inRequest(() => store.append(streamId, 'case', 0, [newEvent('NoteAdded', { n: 2 })]))).rejects.toBeInstanceOf(ConcurrencyError);

    const append = spans.getFinishedSpans().find((span) => span.name === 'append case');
    expect(append?.attributes['conduct.outcome']).toBe('conflict');
    expect(await storedTraceContext(streamId)).toHaveLength(1);
  });

  it('starts no trace for an append outside one, and stores no context', async () => {
    const streamId = freshStreamId();
    await store.append(streamId, 'case', 0, [newEvent('ViolationReported', { n: 1 })]);

    expect(spans.getFinishedSpans()).toEqual([]);
    expect(await storedTraceContext(streamId)).toEqual([null]);
  });
});
