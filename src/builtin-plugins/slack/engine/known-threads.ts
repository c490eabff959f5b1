/**
 * Threads the bot has replied in (`channel:thread ts`), newest kept, so a follow-up in such a
 * thread can count as addressed to the bot without a fresh @mention.
 */
export class KnownThreads {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity = 5_000) {}

  remember(channel: string, threadTs: string): void {
    const key = `${channel}:${threadTs}`;
    this.keys.delete(key);
    this.keys.add(key);
    if (this.keys.size > this.capacity) this.keys.delete(this.keys.values().next().value as string);
  }

  has(channel: string, threadTs: string): boolean {
    return this.keys.has(`${channel}:${threadTs}`);
  }
}
