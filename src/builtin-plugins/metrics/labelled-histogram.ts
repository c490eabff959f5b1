import { format } from 'node:util';
import type { Registry } from 'prom-client';
import { registerIn, type ExportedSample, type RegistryMetric } from './registry-metric.js';
import { SeriesIndex, type SeriesLabels } from './series-index.js';

/** One label set's bucket counts (not cumulative), sum and count. */
class HistogramSeries {
  readonly buckets: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly labels: SeriesLabels,
    private readonly upperBounds: readonly number[],
  ) {
    this.buckets = new Float64Array(upperBounds.length);
  }

  /** A value above the last bound counts in `+Inf` only, as in prom-client. */
  record(value: number): void {
    const bounds = this.upperBounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]!) {
        this.buckets[i]!++;
        break;
      }
    }
    this.sum += value;
    this.count += 1;
  }
}

export interface LabelledHistogramOptions {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  /** Ascending upper bounds, as prom-client's `buckets`. */
  readonly buckets: readonly number[];
  readonly registry: Registry;
}

/**
 * A histogram whose series are found by their label values (series-index.ts says why), exported
 * through a prom-client registry exactly as prom-client's `Histogram` exports: cumulative
 * `_bucket` lines with `le` first, then `le="+Inf"`, `_sum` and `_count`, series in the order
 * first observed; `observe` rejects what prom-client rejects, with its message, before any
 * series exists.
 */
export class LabelledHistogram implements RegistryMetric {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  private readonly upperBounds: readonly number[];
  private readonly index: SeriesIndex<HistogramSeries>;

  constructor(options: LabelledHistogramOptions) {
    if (options.labelNames.includes('le')) throw new Error('le is a reserved label keyword');
    this.name = options.name;
    this.help = options.help;
    this.upperBounds = [...options.buckets];
    this.index = new SeriesIndex(options.labelNames, (labels) => new HistogramSeries(labels, this.upperBounds));
    registerIn(options.registry, this);
  }

  /** Observes `value` in the series with these label values, in label-name order. */
  observe(value: number, first: string, second?: string, third?: string): void {
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${format(value)}`);
    this.index.find(first, second, third).record(value);
  }

  async get() {
    const values: ExportedSample[] = [];
    const bucket = `${this.name}_bucket`;
    for (const series of this.index.all()) {
      let cumulative = 0;
      this.upperBounds.forEach((le, i) => {
        cumulative += series.buckets[i]!;
        values.push({ value: cumulative, labels: { le, ...series.labels }, metricName: bucket });
      });
      values.push({ value: series.count, labels: { le: '+Inf', ...series.labels }, metricName: bucket });
      values.push({ value: series.sum, labels: { ...series.labels }, metricName: `${this.name}_sum` });
      values.push({ value: series.count, labels: { ...series.labels }, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.index.clear();
  }
}
