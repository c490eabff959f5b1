import type { Metric, Registry } from 'prom-client';

/** One exported sample, in the shape prom-client's own metrics return from `get()`. */
export interface ExportedSample {
  readonly value: number;
  readonly labels: Readonly<Record<string, string | number | undefined>>;
  readonly metricName?: string;
}

/**
 * What a prom-client `Registry` asks of a metric: a name, a type, `get()` for the samples (it
 * formats them, escapes label values and writes the HELP and TYPE lines itself) and `reset()`
 * for `resetMetrics()`. The registry's types list only prom-client's four classes, so metrics
 * of our own that keep their series faster are registered through `registerIn`.
 */
export interface RegistryMetric {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'histogram';
  readonly aggregator: 'sum';
  get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: ExportedSample[] }>;
  reset(): void;
}

export function registerIn(registry: Registry, metric: RegistryMetric): void {
  registry.registerMetric(metric as unknown as Metric);
}
