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

/**
 * Which messages were already handed on, by key (`update:<id>`, `message:<chat>:<id>`). The
 * in-process default forgets on restart; phase 2 may pass a persistent one.
 */
export interface SeenMessages {
  /** True the first time a key is offered, false for every repeat. */
  firstSeen(key: string): boolean | Promise<boolean>;
}
