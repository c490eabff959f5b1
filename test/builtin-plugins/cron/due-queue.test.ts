import { describe, expect, it } from 'vitest';
import { DueQueue } from '../../../src/builtin-plugins/cron/scheduler/index.js';

describe('the due queue', () => {
  it('hands out jobs in order of due time, then id, as they fall due', () => {
    const queue = new DueQueue();
    for (const [id, at] of [['c', 30], ['a', 10], ['b', 10], ['d', 20]] as const) queue.set(id, at);
    expect(queue.peek()).toEqual({ id: 'a', dueAt: 10 });
    expect(queue.popDue(5)).toBeUndefined();
    const due: string[] = [];
    for (let top = queue.popDue(20); top; top = queue.popDue(20)) due.push(top.id);
    expect(due).toEqual(['a', 'b', 'd']);
    expect(queue.size).toBe(1);
  });

  it('moves and removes a job wherever it is in the heap', () => {
    const queue = new DueQueue();
    for (let i = 0; i < 1000; i++) queue.set(`job-${i}`, (i * 7919) % 1000);
    queue.set('job-500', -1);
    queue.set('job-0', 5000);
    expect(queue.delete('job-1')).toBe(true);
    expect(queue.delete('job-1')).toBe(false);
    expect(queue.dueAt('job-0')).toBe(5000);
    const order: number[] = [];
    for (let top = queue.popDue(Infinity); top; top = queue.popDue(Infinity)) order.push(top.dueAt);
    expect(order).toHaveLength(999);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order[0]).toBe(-1);
    expect(order.at(-1)).toBe(5000);
  });
});
