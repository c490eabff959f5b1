/**
 * Hands inbound messages to the handlers in the background, one at a time per conversation (so a
 * chat's messages keep their order) and concurrently across conversations (so one slow turn does
 * not hold up every other chat). The socket's reader never waits for a handler.
 */
export class OrderedDelivery {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly onError: (error: unknown) => void) {}

  push(key: string, work: () => Promise<void>): Promise<void> {
    const next = (this.tails.get(key) ?? Promise.resolve())
      .then(work)
      .catch((error: unknown) => this.onError(error))
      .finally(() => {
        if (this.tails.get(key) === next) this.tails.delete(key);
      });
    this.tails.set(key, next);
    return next;
  }

  /** Resolves when every message handed over so far has been handled. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }
}
