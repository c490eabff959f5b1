/**
 * The ids seen most recently, up to a bound, oldest forgotten first: de-duplication of platform
 * messages redelivered across reconnects (a webhook retried, an update fetched twice) without
 * growing forever.
 */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 10_000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  /** Records `id`; true the first time, false when it was already among the recent ones. */
  firstSeen(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
    return true;
  }

  /** Forgets `id`, so it is first seen again: its handling did not happen after all. */
  forget(id: string): void {
    this.ids.delete(id);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  get size(): number {
    return this.ids.size;
  }
}
