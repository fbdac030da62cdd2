import { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { TracerProvider } from '@opentelemetry/sdk-trace';

/** The tracer every Conduct span comes from (the event store, the relay and the consumers name it too). */
export const TRACER_NAME = 'conduct';

let provider: TracerProvider | undefined;

/**
 * Turns tracing on for this process when an OTLP endpoint is configured, with the standard
 * variables: OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), OTEL_SERVICE_NAME
 * (default: the service's name), OTEL_SDK_DISABLED / OTEL_TRACES_EXPORTER=none to keep it off, and
 * the exporter's and batch processor's own (OTEL_EXPORTER_OTLP_HEADERS, OTEL_BSP_SCHEDULE_DELAY, …).
 * Spans go out as OTLP/HTTP JSON. Off by default: without an endpoint nothing is registered, and
 * the OpenTelemetry API the libraries call answers with no-ops.
 */
export async function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (provider) return true;
  const endpoint = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] ?? env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  if (!endpoint || env['OTEL_SDK_DISABLED'] === 'true' || env['OTEL_TRACES_EXPORTER'] === 'none') return false;
  // Loaded only when tracing is on: the SDK and the exporter took about a second of a service's
  // start on a busy machine (a restart must serve commands within 5 s).
  const [{ AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }, { OTLPTraceExporter }, { resourceFromAttributes }, sdk] =
    await Promise.all([
      import('@opentelemetry/context-async-hooks'),
      import('@opentelemetry/core'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/sdk-trace'),
    ]);
  const { BatchSpanProcessor, TracerProvider } = sdk;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': env['OTEL_SERVICE_NAME'] ?? serviceName }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter(),
        // The SDK no longer reads the standard variables of the batch processor itself.
        scheduledDelayMillis: positiveNumber(env['OTEL_BSP_SCHEDULE_DELAY']) ?? 5_000,
        exportTimeoutMillis: positiveNumber(env['OTEL_BSP_EXPORT_TIMEOUT']) ?? 30_000,
      }),
    ],
  });
  trace.setGlobalTracerProvider(provider);
  return true;
}

const positiveNumber = (text: string | undefined): number | undefined => {
  const value = Number(text);
  return text && Number.isFinite(value) && value > 0 ? value : undefined;
};

/** Sends the spans still buffered when the app shuts down: a SIGTERM must not lose the last ones. */
@Injectable()
export class TracingFlush implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await provider?.forceFlush().catch(() => undefined);
  }
}

interface RoutedRequest extends IncomingMessage {
  baseUrl?: string;
  route?: { path?: unknown };
}

/**
 * A server span per HTTP request, continuing the caller's trace (W3C `traceparent` header) when it
 * sends one; everything the request does (the command, the event-store append) runs inside it.
 * Named by the route pattern once routing is known (`POST /cases`), like the HTTP metrics.
 */
export function httpTracingMiddleware(req: RoutedRequest, res: ServerResponse, next: () => void): void {
  if (!provider) {
    next();
    return;
  }
  const parent = propagation.extract(context.active(), req.headers);
  const span = trace
    .getTracer(TRACER_NAME)
    .startSpan(
      req.method ?? 'HTTP',
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? 'UNKNOWN', 'url.path': (req.url ?? '').split('?')[0] } },
      parent,
    );
  res.once('finish', () => {
    const route = typeof req.route?.path === 'string' ? `${req.baseUrl ?? ''}${req.route.path}` : undefined;
    if (route) {
      span.updateName(`${req.method} ${route}`);
      span.setAttribute('http.route', route);
    }
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  context.with(trace.setSpan(parent, span), next);
}
