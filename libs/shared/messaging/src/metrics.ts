import { Counter, Gauge, register } from 'prom-client';

// Metrics live in prom-client's default registry so the service's /metrics shows them. Several
// relays or consumers in one process (or a test file) share one metric, told apart by labels.

export function sharedCounter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
  const existing = register.getSingleMetric(name);
  if (existing instanceof Counter) return existing;
  return new Counter({ name, help, labelNames });
}

export function sharedGauge<L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L> {
  const existing = register.getSingleMetric(name);
  if (existing instanceof Gauge) return existing;
  return new Gauge({ name, help, labelNames });
}
