export * from './metrics/http-metrics';
export * from './metrics/metrics.controller';
export * from './health/readiness.service';
export * from './health/health.controller';
export * from './logger-params';
export * from './metrics/metrics-server';
export * from './tracing/tracing';
