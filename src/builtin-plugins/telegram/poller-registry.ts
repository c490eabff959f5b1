/** A second poller for a bot already polled in this process. */
export class PollerConflictError extends Error {
  readonly code = 'poller_conflict';
  constructor(botId: string, holder: string, claimant: string) {
    super(
      `bot ${botId} is already polled by account ${holder} in this process, so account ${claimant} cannot poll it too: Telegram allows one getUpdates per bot, and two pollers answer each other with 409 Conflict forever. Give each account its own bot token.`,
    );
    this.name = 'PollerConflictError';
  }
}

/**
 * Which bots are being polled in this process, and by whom. Two accounts configured with the
 * same bot (or a restart that starts the new poller before the old one stopped) would make
 * Telegram answer 409 to each in turn; the registry refuses the second instead. It is an object
 * the plugin owns and hands to every account, not module state, so two hosts in one process
 * (tests) do not share it by accident.
 */
export class PollerRegistry {
  private readonly holders = new Map<string, string>();

  /** Claims `botId` for account `holder`; the returned function releases it. Throws `PollerConflictError` when taken. */
  claim(botId: string, holder: string): () => void {
    const current = this.holders.get(botId);
    if (current !== undefined) throw new PollerConflictError(botId, current, holder);
    this.holders.set(botId, holder);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (this.holders.get(botId) === holder) this.holders.delete(botId);
    };
  }

  holderOf(botId: string): string | undefined {
    return this.holders.get(botId);
  }
}
