import { describe, expect, it } from 'vitest';
import { KeyedSerialQueue, RecentIds } from '../../../plugin-sdk/src/channel/index.js';

describe('RecentIds', () => {
  it('says an id is new only the first time, and forgets the oldest past its capacity', () => {
    const ids = new RecentIds(2);
    expect([ids.firstSeen('a'), ids.firstSeen('a'), ids.firstSeen('b'), ids.firstSeen('c')]).toEqual([true, false, true, true]);
    expect(ids.has('a')).toBe(false);
    expect(ids.firstSeen('b')).toBe(false);
    expect(ids.size).toBe(2);
  });
});

describe('KeyedSerialQueue', () => {
  it('runs tasks of one key in order and different keys side by side', async () => {
    const queue = new KeyedSerialQueue();
    const log: string[] = [];
    const gates = new Map<string, () => void>();
    const task = (name: string) => () => new Promise<void>((resolve) => {
      log.push(`start ${name}`);
      gates.set(name, () => {
        log.push(`end ${name}`);
        resolve();
      });
    });
    queue.run('chat-1', task('a1'), () => undefined);
    queue.run('chat-1', task('a2'), () => undefined);
    queue.run('chat-2', task('b1'), () => undefined);
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['start a1', 'start b1']);
    expect(queue.pending).toBe(3);
    gates.get('a1')!();
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['start a1', 'start b1', 'end a1', 'start a2']);
    gates.get('a2')!();
    gates.get('b1')!();
    await queue.drained();
    expect(queue.pending).toBe(0);
  });

  it("hands a task's failure to onError and carries on with the next", async () => {
    const queue = new KeyedSerialQueue();
    const errors: unknown[] = [];
    const ran: string[] = [];
    queue.run('k', async () => { throw new Error('boom'); }, (e) => errors.push(e));
    queue.run('k', async () => { ran.push('second'); }, (e) => errors.push(e));
    await queue.drained();
    expect((errors[0] as Error).message).toBe('boom');
    expect(ran).toEqual(['second']);
  });
});
