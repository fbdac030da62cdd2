import { register } from 'prom-client';

/** Test support: the value of a metric in the default registry for the labels given (others ignored). */
export async function metricValue(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = register.getSingleMetric(name);
  if (!metric) return undefined;
  const { values } = await metric.get();
  return values.find((value) => Object.entries(labels).every(([label, wanted]) => value.labels[label] === wanted))?.value;
}

/** Test support: the sum of a metric's values over every label set that has the labels given (e.g. every partition). */
export async function metricSum(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = register.getSingleMetric(name);
  if (!metric) return undefined;
  const matching = (await metric.get()).values.filter((value) => Object.entries(labels).every(([label, wanted]) => value.labels[label] === wanted));
  return matching.length ? matching.reduce((sum, value) => sum + value.value, 0) : undefined;
}
