import { describe, expect, it } from 'vitest';
import type { Message } from '@nexus/plugin-sdk';
import { HistoryCache } from '../../../plugin-sdk/src/storage-sql/sql/history-cache.js';

const message = (content: string, extra: Partial<Message> = {}): Message => ({
  id: `id-${content}`,
  sessionId: 's',
  role: 'user',
  content,
  attachments: [],
  toolCalls: [],
  toolResults: [],
  metadata: { n: content },
  createdAt: 0,
  ...extra,
});
const sized = (content: string, bytes = 100, extra: Partial<Message> = {}) => ({ message: message(content, extra), bytes });

describe('SQL history cache', () => {
  it('keeps the newest messages of a session up to the limit asked, frozen, and extends them', () => {
    const cache = new HistoryCache({ sessions: 10, bytes: 10_000 });
    cache.extend('a', undefined, [sized('1'), sized('2'), sized('3')], { lastSeq: 3, fromStart: true }, 2);
    const tail = cache.get('a')!;
    expect(tail.messages.map((m) => m.content)).toEqual(['2', '3']);
    expect(tail).toMatchObject({ lastSeq: 3, fromStart: false });
    expect(Object.isFrozen(tail.messages[0]!.metadata)).toBe(true);

    const returned = cache.extend('a', tail, [sized('4')], { lastSeq: 4, fromStart: false }, 2);
    expect(returned.map((m) => m.content)).toEqual(['2', '3', '4']);
    expect(cache.get('a')!.messages.map((m) => m.content)).toEqual(['3', '4']);
  });

  it('drops the least recently read sessions beyond its session count', () => {
    const cache = new HistoryCache({ sessions: 2, bytes: 10_000 });
    cache.extend('a', undefined, [sized('a1')], { lastSeq: 1, fromStart: true }, 10);
    cache.extend('b', undefined, [sized('b1')], { lastSeq: 1, fromStart: true }, 10);
    cache.get('a');
    cache.extend('c', undefined, [sized('c1')], { lastSeq: 1, fromStart: true }, 10);
    expect([cache.get('a') !== undefined, cache.get('b') !== undefined, cache.get('c') !== undefined]).toEqual([true, false, true]);
  });

  it('stays under its byte budget by dropping whole sessions, and never keeps one bigger than the budget', () => {
    const cache = new HistoryCache({ sessions: 10, bytes: 1_000 });
    cache.extend('a', undefined, [sized('a1', 400)], { lastSeq: 1, fromStart: true }, 10);
    cache.extend('b', undefined, [sized('b1', 400)], { lastSeq: 1, fromStart: true }, 10);
    cache.extend('c', undefined, [sized('c1', 400)], { lastSeq: 1, fromStart: true }, 10);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(2);
    const huge = cache.extend('d', undefined, [sized('d1', 5_000)], { lastSeq: 1, fromStart: true }, 10);
    expect(huge.map((m) => m.content)).toEqual(['d1']);
    expect(cache.get('d')).toBeUndefined();
  });

  it('does not cache a session whose new messages carry binary data, and lets those messages be changed by their reader', () => {
    const cache = new HistoryCache();
    const withData = sized('pic', 100, { attachments: [{ mimeType: 'image/png', data: new Uint8Array([1, 2]) }] });
    const returned = cache.extend('a', undefined, [sized('1'), withData], { lastSeq: 2, fromStart: true }, 10);
    expect(returned).toHaveLength(2);
    expect(cache.get('a')).toBeUndefined();
    expect(Object.isFrozen(returned[1])).toBe(false);
  });
});
