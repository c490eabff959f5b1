/**
 * The points where a channel engine takes its pacing, formatting and de-duplication from
 * outside, so an engine can be tested alone and a plugin can plug in what lasts (a store that
 * survives restarts, a token bucket per account). Shared by the Slack and Discord engines.
 */

/** Splits a reply into messages of at most `limit` characters (the kit's `chunkText` splits on paragraphs and code fences). */
export type Chunker = (text: string, limit: number) => readonly string[];

/** Converts Markdown to the platform's dialect. */
export type MarkdownFormatter = (markdown: string) => string;

/**
 * Paces calls to the platform. `RetryAfterGate` only honours the waits the platform asked for
 * with a 429; `PacedRateGate` adds a token bucket in front of it.
 */
export interface RateGate {
  /** Resolves when a call under `key` may go out (rejects when `signal` aborts). */
  acquire(key: string, signal: AbortSignal): Promise<void>;
  /** The platform answered 429 for `key`: no call under it before `retryAfterMs` has passed. */
  penalize(key: string, retryAfterMs: number): void;
}

/**
 * Tells whether a platform message id is seen for the first time. `RecentIds` remembers ids in
 * memory, within the process; `ReceiptDeduplicator` keeps them in the database, across
 * restarts.
 */
export interface Deduplicator {
  firstSeen(key: string): boolean | Promise<boolean>;
}

/** Waits `ms` (rejecting when `signal` aborts). Tests pass one that records and returns at once. */
export type Wait = (ms: number, signal: AbortSignal) => Promise<void>;
