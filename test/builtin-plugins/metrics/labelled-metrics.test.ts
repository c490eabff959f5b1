import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LabelledCounter } from '../../../src/builtin-plugins/metrics/labelled-counter.js';
import { LabelledHistogram } from '../../../src/builtin-plugins/metrics/labelled-histogram.js';
import { SeriesIndex } from '../../../src/builtin-plugins/metrics/series-index.js';

function thrown(run: () => void): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('SeriesIndex', () => {
  it('takes 1 to 3 label names', () => {
    expect(() => new SeriesIndex([], (labels) => labels)).toThrow('SeriesIndex: 1 to 3 label names, got 0');
    expect(() => new SeriesIndex(['a', 'b', 'c', 'd'], (labels) => labels)).toThrow('SeriesIndex: 1 to 3 label names, got 4');
  });

  it('finds one series per distinct label values, created once with its labels in label-name order', () => {
    const index = new SeriesIndex(['channel', 'outcome'], (labels) => ({ labels }));
    const first = index.find('webhook', 'done');
    expect(index.find('webhook', 'done')).toBe(first);
    expect(first.labels).toEqual({ channel: 'webhook', outcome: 'done' });
    expect(Object.keys(first.labels)).toEqual(['channel', 'outcome']);
    const others = [index.find('webhook', 'error'), index.find('grpc', 'done'), index.find('done', 'webhook')];
    expect(new Set([first, ...others]).size).toBe(4);
    expect(index.all()).toEqual([first, ...others]);
  });

  it('keeps values apart that a joined key would confuse', () => {
    // prom-client's hash string ("channel:a,outcome:b,") made these two one series.
    const index = new SeriesIndex(['channel', 'outcome'], (labels) => ({ labels }));
    expect(index.find('a,outcome:b', 'c')).not.toBe(index.find('a', 'b,outcome:c'));
  });

  it('walks three levels', () => {
    const index = new SeriesIndex(['provider', 'model', 'direction'], (labels) => ({ labels }));
    const input = index.find('anthropic', 'claude', 'input');
    expect(index.find('anthropic', 'claude', 'output')).not.toBe(input);
    expect(index.find('anthropic', 'claude', 'input')).toBe(input);
    expect(input.labels).toEqual({ provider: 'anthropic', model: 'claude', direction: 'input' });
  });

  it('forgets every series on clear, and creates fresh ones after', () => {
    const index = new SeriesIndex(['tool'], (labels) => ({ labels }));
    const before = index.find('search');
    index.clear();
    expect(index.all()).toEqual([]);
    const after = index.find('search');
    expect(after).not.toBe(before);
    expect(index.all()).toEqual([after]);
  });
});

describe('LabelledCounter and LabelledHistogram', () => {
  it('reject what prom-client rejects, with the same errors, and create no series for it', async () => {
    const registry = new Registry();
    const counter = new LabelledCounter({ name: 'c_total', help: 'c', labelNames: ['tool'], registry });
    const histogram = new LabelledHistogram({ name: 'h_seconds', help: 'h', labelNames: ['tool'], buckets: [1], registry });
    const promCounter = new Counter({ name: 'c_total', help: 'c', labelNames: ['tool'], registers: [] });
    const promHistogram = new Histogram({ name: 'h_seconds', help: 'h', labelNames: ['tool'], buckets: [1], registers: [] });

    for (const amount of [-1, Number.POSITIVE_INFINITY]) {
      const expected = thrown(() => promCounter.inc({ tool: 'x' }, amount));
      const actual = thrown(() => counter.inc(amount, 'x'));
      expect([actual.constructor, actual.message]).toEqual([expected.constructor, expected.message]);
    }
    for (const value of [Number.NaN, Number.NEGATIVE_INFINITY]) {
      const expected = thrown(() => promHistogram.observe({ tool: 'x' }, value));
      const actual = thrown(() => histogram.observe(value, 'x'));
      expect([actual.constructor, actual.message]).toEqual([expected.constructor, expected.message]);
    }
    expect((await counter.get()).values).toEqual([]);
    expect((await histogram.get()).values).toEqual([]);
  });

  it('reserve le on histograms, and take a name once per registry', () => {
    const registry = new Registry();
    expect(() => new LabelledHistogram({ name: 'h', help: 'h', labelNames: ['le'], buckets: [1], registry })).toThrow('le is a reserved label keyword');
    new LabelledCounter({ name: 'c_total', help: 'c', labelNames: ['tool'], registry });
    expect(() => new LabelledCounter({ name: 'c_total', help: 'c', labelNames: ['tool'], registry })).toThrow('A metric with the name c_total has already been registered.');
  });
});
