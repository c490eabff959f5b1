import { format } from 'node:util';
import type { Registry } from 'prom-client';
import { registerIn, type RegistryMetric } from './registry-metric.js';
import { SeriesIndex, type SeriesLabels } from './series-index.js';

/** One label set's running total. */
class CounterSeries {
  value = 0;

  constructor(readonly labels: SeriesLabels) {}
}

export interface LabelledCounterOptions {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly registry: Registry;
}

/**
 * A counter whose series are found by their label values (series-index.ts says why), exported
 * through a prom-client registry exactly as prom-client's `Counter` exports: same lines, same
 * order, and `inc` rejects the values it rejects, with its messages, before any series exists.
 */
export class LabelledCounter implements RegistryMetric {
  readonly type = 'counter';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  private readonly index: SeriesIndex<CounterSeries>;

  constructor(options: LabelledCounterOptions) {
    this.name = options.name;
    this.help = options.help;
    this.index = new SeriesIndex(options.labelNames, (labels) => new CounterSeries(labels));
    registerIn(options.registry, this);
  }

  /** Adds `amount` to the series with these label values, in label-name order. */
  inc(amount: number, first: string, second?: string, third?: string): void {
    // prom-client's checks, NaN slipping through included.
    if (amount && !Number.isFinite(amount)) throw new TypeError(`Value is not a valid number: ${format(amount)}`);
    if (amount < 0) throw new Error('It is not possible to decrease a counter');
    this.index.find(first, second, third).value += amount;
  }

  async get() {
    const values = this.index.all().map(({ value, labels }) => ({ value, labels }));
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.index.clear();
  }
}
