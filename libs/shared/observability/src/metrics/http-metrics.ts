import { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Histogram, register } from 'prom-client';

export const HTTP_DURATION_METRIC = 'conduct_http_request_duration_seconds';

/** The default registry's metric of that name, created on first use (several apps may share a process). */
function httpDurationHistogram(): Histogram<'method' | 'route' | 'status'> {
  const existing = register.getSingleMetric(HTTP_DURATION_METRIC);
  if (existing) return existing as Histogram<'method' | 'route' | 'status'>;
  return new Histogram({
    name: HTTP_DURATION_METRIC,
    help: 'HTTP request duration in seconds, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
}

/** Process metrics (CPU, memory, event loop lag, GC) on the default registry, once per process. */
export function ensureDefaultMetrics(): void {
  if (!register.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics();
}

interface RoutedRequest extends IncomingMessage {
  baseUrl?: string;
  route?: { path?: unknown };
}

/**
 * Times every request, including those refused before routing. The route label is the matched
 * pattern (`/approval-requests/:id`), never the raw path, so ids do not explode the label set.
 */
export function httpMetricsMiddleware(req: RoutedRequest, res: ServerResponse, next: () => void): void {
  const endTimer = httpDurationHistogram().startTimer();
  res.once('finish', () => {
    const route = typeof req.route?.path === 'string' ? `${req.baseUrl ?? ''}${req.route.path}` : '(unmatched)';
    endTimer({ method: req.method ?? 'UNKNOWN', route, status: String(res.statusCode) });
  });
  next();
}
