import { describe, expect, it } from 'vitest';
import { EventChannel } from '../../../src/builtin-plugins/agent/runtime/event-channel.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('event channel', () => {
  it('makes the producer wait once capacity events are unread, and lets it go on as they are read', async () => {
    const channel = new EventChannel<number>(2, () => undefined);
    let pushed = 0;
    const producer = (async () => {
      for (let i = 0; i < 5; i++) {
        await channel.push(i);
        pushed++;
      }
      channel.close();
    })();

    await tick();
    expect(pushed).toBe(2);
    const iterator = channel[Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({ done: false, value: 0 });
    await tick();
    expect(pushed).toBe(3);
    expect(channel.pending).toBe(2);

    const rest: number[] = [];
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) rest.push(r.value);
    await producer;
    expect(rest).toEqual([1, 2, 3, 4]);
  });

  it('always accepts the final event, so a turn can end while nobody reads', async () => {
    const channel = new EventChannel<string>(1, () => undefined);
    await channel.push('a');
    channel.pushFinal('end');
    channel.close();
    const seen: string[] = [];
    for await (const event of channel) seen.push(event);
    expect(seen).toEqual(['a', 'end']);
  });

  it('tells the producer when the reader stops early, and stops blocking it', async () => {
    let abandoned = 0;
    const channel = new EventChannel<number>(1, () => abandoned++);
    await channel.push(1);
    const blocked = channel.push(2);

    for await (const _ of channel) break;

    await blocked;
    expect(abandoned).toBe(1);
    expect(channel.pending).toBe(0);
  });

  it('does not report a reader that stops after the end as abandoning', async () => {
    let abandoned = 0;
    const channel = new EventChannel<number>(4, () => abandoned++);
    await channel.push(1);
    channel.close();
    for await (const _ of channel) break;
    expect(abandoned).toBe(0);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new EventChannel(0, () => undefined)).toThrow('event buffer capacity must be a positive integer, got 0');
  });
});
