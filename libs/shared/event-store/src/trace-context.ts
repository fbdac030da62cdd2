import { Context, context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';

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
