/**
 * The points where phase 2 plugs the plugin's services into this engine. The defaults come from
 * the channel kit (`@nexus/plugin-sdk/channel`) where it has the piece, else from this folder.
 */

/** Splits a reply into messages of at most `limit` characters (the kit splits on paragraphs and code fences). */
export type Chunker = (text: string, limit: number) => readonly string[];

/** Converts Markdown to the platform's dialect. */
export type MarkdownFormatter = (markdown: string) => string;

/**
 * Paces calls to the platform. The kit's token bucket implements it; the local default only
 * honours the waits the platform asked for with a 429.
 */
export interface RateGate {
  /** Resolves when a call under `key` may go out (rejects when `signal` aborts). */
  acquire(key: string, signal: AbortSignal): Promise<void>;
  /** The platform answered 429 for `key`: no call under it before `retryAfterMs` has passed. */
  penalize(key: string, retryAfterMs: number): void;
}

/**
 * Tells whether a platform message id is seen for the first time. The default (the kit's
 * `RecentIds`) remembers ids in memory, within the process; phase 2 plugs in a store that
 * survives restarts.
 */
export interface Deduplicator {
  firstSeen(key: string): boolean | Promise<boolean>;
}

/** Waits `ms` (rejecting when `signal` aborts). Tests pass one that records and returns at once. */
export type Wait = (ms: number, signal: AbortSignal) => Promise<void>;
