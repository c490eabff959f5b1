import { describe, expect, it } from 'vitest';
import { SessionQueue } from '../../../src/builtin-plugins/gateway/pipeline/index.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('SessionQueue', () => {
  it('runs one job at a time per session, in submission order', async () => {
    const queue = new SessionQueue(10);
    const log: string[] = [];
    const job = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      log.push(`end ${name}`);
    };
    await Promise.all([queue.run('s', job('a', 20)), queue.run('s', job('b', 1)), queue.run('s', job('c', 5))]);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('runs different sessions in parallel, but never more than the limit at once', async () => {
    const queue = new SessionQueue(3);
    let running = 0;
    let peak = 0;
    const job = async () => {
      running++;
      peak = Math.max(peak, running);
      await tick();
      running--;
    };
    await Promise.all(Array.from({ length: 12 }, (_, i) => queue.run(`s${i}`, job)));
    expect(peak).toBe(3);
  });

  it('keeps going after a job fails, and forgets idle sessions', async () => {
    const queue = new SessionQueue(2);
    const failed = queue.run('s', async () => {
      throw new Error('boom');
    });
    const next = queue.run('s', async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
    await tick();
    expect(queue.size).toBe(0);
  });
});
