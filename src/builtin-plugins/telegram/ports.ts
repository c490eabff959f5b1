/**
 * Where the poller keeps its place. Telegram forgets an update once a getUpdates asks for a
 * later offset, so saving the next offset after each batch means a restart neither loses nor
 * re-processes updates. Phase 2 backs this with the plugin's store; tests use a map.
 */
export interface UpdateOffsetStore {
  /** The next update_id to ask for, as last saved for this bot; undefined before the first save. */
  load(botId: string): Promise<number | undefined>;
  save(botId: string, nextOffset: number): Promise<void>;
}

