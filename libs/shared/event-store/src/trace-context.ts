import { Attributes, Context, context, propagation, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

/**
 * W3C trace context as text (`traceparent`), through the OpenTelemetry API: without an SDK
 * registered (tracing off, the default) the propagator does nothing and these answer null/undefined
 * at the cost of a function call.
 */
export const TRACEPARENT = 'traceparent';

/** The traceparent of the active context (the span a command runs in), or null. */
export function activeTraceparent(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier[TRACEPARENT] ?? null;
}

/** The context a stored or received traceparent names, to start a span under; undefined without one. */
export function contextOfTraceparent(traceparent: string | null | undefined): Context | undefined {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { [TRACEPARENT]: traceparent }) : undefined;
}

/**
 * A span continuing the trace a stored or received traceparent names (the relay's publish, a
 * consumer's apply, a dispatcher's send); none without one, so that work recorded with tracing off
 * starts no trace of its own.
 */
export function spanContinuing(traceparent: string | null | undefined, name: string, kind: SpanKind, attributes: Attributes): Span | undefined {
  const parent = contextOfTraceparent(traceparent);
  return parent ? trace.getTracer('conduct').startSpan(name, { kind, attributes }, parent) : undefined;
}

/**
 * A span under the active one, for a step of the work in hand (the event-store append); none when
 * no recording span is active, so that work outside a trace starts no trace of its own.
 */
export function childSpan(name: string, kind: SpanKind, attributes: Attributes): Span | undefined {
  return trace.getActiveSpan()?.isRecording() ? trace.getTracer('conduct').startSpan(name, { kind, attributes }) : undefined;
}

/** The traceparent that names `span`, for a Kafka header or a row that a later step continues. */
export function traceparentOf(span: Span): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), carrier);
  return carrier[TRACEPARENT] ?? null;
}

/** Ends a span with what came of its work: `conduct.outcome`, and an error status on a failure. */
export function endSpan(span: Span | undefined, outcome: string, error?: unknown): void {
  if (!span) return;
  span.setAttribute('conduct.outcome', outcome);
  if (error !== undefined)
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : typeof error === 'string' ? error : 'failed' });
  span.end();
}
