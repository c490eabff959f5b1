import type { Deduplicator } from './engine-seams.js';

/**
 * The in-process de-duplicator: the last `capacity` message ids, oldest forgotten first. It
 * catches a platform's redeliveries and replays within the process, across reconnects and an
 * engine's stop and start; a store plugged in through `Deduplicator` also covers restarts.
 */
export class RecentIds implements Deduplicator {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  firstSeen(key: string): boolean {
    if (this.ids.has(key)) return false;
    this.ids.add(key);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
    return true;
  }
}
