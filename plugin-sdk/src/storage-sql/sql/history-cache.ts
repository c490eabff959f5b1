import type { Message } from '../../contracts/index.js';
import { deepFreeze } from '../../storage/index.js';

/** A session's newest messages as last read, numbered by `seq`. */
export interface CachedTail {
  /** `seq` of the newest message held; a read asks the database only for messages after it. */
  readonly lastSeq: number;
  /** Oldest first. Frozen: every reader of the session shares them. */
  readonly messages: readonly Message[];
  /** The tail starts at the session's first message, so any limit can be answered from it. */
  readonly fromStart: boolean;
}

/** A message read from the database, with roughly what it takes in memory. */
export interface SizedMessage {
  readonly message: Message;
  readonly bytes: number;
}

export interface HistoryCacheLimits {
  /** Sessions kept; the least recently read goes first. */
  readonly sessions: number;
  /** Bytes of message text and JSON kept in all, roughly; whole sessions are dropped to stay under. */
  readonly bytes: number;
}

export const DEFAULT_HISTORY_CACHE_LIMITS: HistoryCacheLimits = { sessions: 256, bytes: 32 * 1024 * 1024 };

interface Entry extends CachedTail {
  /** `bytes` of each message, in the same order. */
  readonly sizes: readonly number[];
  readonly bytes: number;
}

/**
 * The tails of recently read sessions. Every turn reads its session's last 50 messages, and
 * fetching and decoding 50 rows (three JSON columns each) was most of what a turn cost with
 * SQLite. Messages are never changed once appended, only added after the last `seq`, or all
 * deleted at once (`clearHistory`), so a cached tail stays true as long as its newest message is
 * still there: a read asks only for the rows from `lastSeq` on, which also sees what other
 * processes appended, and drops the tail when the first row is not the one it ends with. A
 * session that is deleted or never read again just ages out.
 *
 * Messages with binary attachment data are never cached (a Uint8Array cannot be frozen), so the
 * store reads such a session in full every time.
 */
export class HistoryCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly limits: HistoryCacheLimits = DEFAULT_HISTORY_CACHE_LIMITS) {}

  /** The session's cached tail, marked as just used. */
  get(sessionId: string): CachedTail | undefined {
    const entry = this.entries.get(sessionId);
    if (entry === undefined) return undefined;
    this.entries.delete(sessionId);
    this.entries.set(sessionId, entry);
    return entry;
  }

  /**
   * Keeps the newest `keep` of `previous` (a tail this cache handed out, or nothing) followed by
   * `fresh` as the session's tail. Only the fresh messages are frozen and measured.
   */
  extend(sessionId: string, previous: CachedTail | undefined, fresh: readonly SizedMessage[], tail: { readonly lastSeq: number; readonly fromStart: boolean }, keep: number): readonly Message[] {
    const held = this.entries.get(sessionId);
    this.delete(sessionId);
    const messages = [...(previous?.messages ?? []), ...fresh.map((f) => f.message)];
    // Built on nothing, or on the entry this cache still holds: a tail it dropped meanwhile (a
    // concurrent read replaced it, or it aged out) is not cached again from the caller's copy.
    const base = previous === undefined ? undefined : held === previous ? held : null;
    if (base === null || fresh.some((f) => holdsBinary(f.message))) return messages;
    const sizes = [...(base?.sizes ?? []), ...fresh.map((f) => f.bytes)];
    const drop = Math.max(0, messages.length - keep);
    const kept = drop === 0 ? messages : messages.slice(drop);
    const keptSizes = drop === 0 ? sizes : sizes.slice(drop);
    const bytes = keptSizes.reduce((sum, n) => sum + n, 0);
    if (bytes > this.limits.bytes) return messages;
    for (const { message } of fresh) deepFreeze(message);
    this.entries.set(sessionId, { lastSeq: tail.lastSeq, messages: Object.freeze(kept), fromStart: tail.fromStart && drop === 0, sizes: keptSizes, bytes });
    this.bytes += bytes;
    for (const [id, entry] of this.entries) {
      if (this.entries.size <= this.limits.sessions && this.bytes <= this.limits.bytes) break;
      this.entries.delete(id);
      this.bytes -= entry.bytes;
    }
    return messages;
  }

  delete(sessionId: string): void {
    const entry = this.entries.get(sessionId);
    if (entry === undefined) return;
    this.entries.delete(sessionId);
    this.bytes -= entry.bytes;
  }

  get size(): number {
    return this.entries.size;
  }
}

function holdsBinary(message: Message): boolean {
  return message.attachments.some((a) => a.data !== undefined);
}
