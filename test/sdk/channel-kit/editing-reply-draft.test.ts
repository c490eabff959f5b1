import { describe, expect, it } from 'vitest';
import { DraftFailedError, EditingReplyDraft, type DraftTransport } from '../../../plugin-sdk/src/channel/index.js';
import { ManualTimers } from './manual-timers.js';

type Write = { readonly op: 'send' | 'edit'; readonly id: number; readonly text: string; readonly at: number };

/** A platform that records each write with the (manual) time it happened. */
class RecordingTransport implements DraftTransport<number> {
  readonly writes: Write[] = [];
  failEdits = 0;
  failSends = 0;
  private nextId = 1;
  constructor(private readonly timers: ManualTimers) {}
  async send(text: string): Promise<number> {
    if (this.failSends > 0 && this.failSends--) throw new Error('send refused');
    const id = this.nextId++;
    this.writes.push({ op: 'send', id, text, at: this.timers.now() });
    return id;
  }
  async edit(id: number, text: string): Promise<void> {
    if (this.failEdits > 0 && this.failEdits--) throw new Error('edit refused');
    this.writes.push({ op: 'edit', id, text, at: this.timers.now() });
  }
}

function setup(limit = 100, minIntervalMs = 1000) {
  const timers = new ManualTimers();
  const transport = new RecordingTransport(timers);
  const draft = new EditingReplyDraft({ transport, limit, minIntervalMs, timers });
  return { timers, transport, draft, start: timers.now() };
}

describe('EditingReplyDraft', () => {
  it('sends the first text at once, then edits it in place no more often than the interval', async () => {
    const { timers, transport, draft, start } = setup();
    draft.push('Hello');
    await timers.advance(0);
    draft.push(', wor');
    draft.push('ld');
    await timers.advance(500);
    expect(transport.writes).toEqual([{ op: 'send', id: 1, text: 'Hello', at: start }]);
    await timers.advance(500);
    expect(transport.writes.at(-1)).toEqual({ op: 'edit', id: 1, text: 'Hello, world', at: start + 1000 });
    draft.push('!');
    const done = draft.finish();
    await timers.advance(1000);
    await expect(done).resolves.toEqual([1]);
    expect(transport.writes.map((w) => [w.op, w.text, w.at - start])).toEqual([
      ['send', 'Hello', 0],
      ['edit', 'Hello, world', 1000],
      ['edit', 'Hello, world!', 2000],
    ]);
  });

  it('coalesces a burst of deltas into one edit', async () => {
    const { timers, transport, draft } = setup();
    draft.push('a');
    await timers.advance(0);
    for (const ch of 'bcdefghij') draft.push(ch);
    await timers.advance(1000);
    expect(transport.writes.map((w) => w.text)).toEqual(['a', 'abcdefghij']);
  });

  it('finishes a message at the limit and continues in a new one', async () => {
    const { timers, transport, draft } = setup(20, 100);
    draft.push('First paragraph.\n\n');
    await timers.advance(0);
    draft.push('Second one, longer.');
    const done = draft.finish();
    await timers.advance(1000);
    await expect(done).resolves.toEqual([1, 2]);
    const final = new Map(transport.writes.map((w) => [w.id, w.text]));
    expect([...final.values()]).toEqual(['First paragraph.', 'Second one, longer.']);
    for (const text of final.values()) expect(text.length).toBeLessThanOrEqual(20);
  });

  it('renders each message through the dialect converter', async () => {
    const timers = new ManualTimers();
    const transport = new RecordingTransport(timers);
    const draft = new EditingReplyDraft({ transport, limit: 100, minIntervalMs: 0, timers, render: (t) => t.toUpperCase() });
    draft.push('shout');
    const done = draft.finish();
    await timers.advance(0);
    await done;
    expect(transport.writes.map((w) => w.text)).toEqual(['SHOUT']);
  });

  it('sends nothing for a reply that stays blank', async () => {
    const { timers, transport, draft } = setup();
    draft.push('  \n');
    const done = draft.finish();
    await timers.advance(0);
    await expect(done).resolves.toEqual([]);
    expect(transport.writes).toEqual([]);
  });

  it('retries a failed edit with the latest text, and gives up after three in a row', async () => {
    const { timers, transport, draft } = setup(100, 10);
    draft.push('one');
    await timers.advance(0);
    transport.failEdits = 1;
    draft.push(' two');
    await timers.advance(10);
    await timers.advance(10);
    expect(transport.writes.map((w) => w.text)).toEqual(['one', 'one two']);

    transport.failEdits = 3;
    draft.push(' three');
    const outcome = draft.finish().catch((e: unknown) => e);
    await timers.advance(100);
    const error = await outcome;
    expect(error).toBeInstanceOf(DraftFailedError);
    expect((error as DraftFailedError<number>).delivered).toEqual([1]);
    expect((error as Error).message).toMatch(/edit refused/);
  });

  it('does not post a message again after a failed send, which may have arrived', async () => {
    const { timers, transport, draft } = setup();
    transport.failSends = 1;
    draft.push('hello');
    const outcome = draft.finish().catch((e: unknown) => e);
    await timers.advance(5000);
    expect(await outcome).toBeInstanceOf(DraftFailedError);
    expect(((await outcome) as Error).message).toMatch(/send refused/);
    expect(transport.writes).toEqual([]);
  });

  it('stops writing once cancelled', async () => {
    const { timers, transport, draft } = setup();
    draft.push('partial');
    await timers.advance(0);
    draft.push(' more');
    draft.cancel();
    await timers.advance(5000);
    expect(transport.writes.map((w) => w.text)).toEqual(['partial']);
    expect(() => draft.push('x')).toThrow(/finished/);
  });
});
