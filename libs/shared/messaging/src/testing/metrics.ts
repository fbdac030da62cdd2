import { register } from 'prom-client';

/** Test support: the value of a metric in the default registry for the labels given (others ignored). */
export async function metricValue(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = register.getSingleMetric(name);
  if (!metric) return undefined;
  const { values } = await metric.get();
  return values.find((value) => Object.entries(labels).every(([label, wanted]) => value.labels[label] === wanted))?.value;
}
