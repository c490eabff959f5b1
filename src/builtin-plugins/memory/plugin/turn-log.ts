import { SessionStoreToken, type HookHandler, type HookValue, type Message, type ServiceRegistry } from '@nexus/plugin-sdk';
import type { MemoryHost } from './memory-host.js';
import type { SessionAccess } from './session-access.js';

/** Messages looked at per catch-up: more than one turn stores. */
const LOOKBACK = 20;
/** Ids remembered per session to never log a message twice. */
const REMEMBERED_IDS = 200;

/**
 * Appends a session's conversation to today's daily file (`memory.daily.log_turns`). The hooks say
 * only that something happened in a session, so each one catches up: the stored user and
 * assistant messages since the last one logged go to the file, in order, once. A reply is
 * logged when the turn completes if it is stored by then, else with the next inbound message.
 * The first time the plugin sees a session, what came before its latest inbound message is taken
 * as already handled (logged by an earlier run, or from before logging was on).
 */
export class TurnLog {
  private readonly logged = new Map<string, Set<string>>();
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly host: MemoryHost,
    private readonly access: SessionAccess,
    private readonly services: ServiceRegistry,
  ) {}

  /** Catches the session up; calls for one session run one after another. */
  catchUp(sessionId: string): Promise<void> {
    if (!this.host.settings().daily.logTurns) return Promise.resolve();
    const previous = this.queues.get(sessionId) ?? Promise.resolve();
    const next = previous.then(() => this.logNew(sessionId)).catch((error: unknown) => {
      this.host.logger.warn(`cannot append the turn to the daily log: ${(error as Error).message}`, { sessionId });
    });
    this.queues.set(sessionId, next);
    void next.then(() => {
      if (this.queues.get(sessionId) === next) this.queues.delete(sessionId);
    });
    return next;
  }

  private async logNew(sessionId: string): Promise<void> {
    if (!this.services.has(SessionStoreToken)) return;
    const store = await this.services.get(SessionStoreToken);
    const recent = await store.history(sessionId, LOOKBACK);
    const seen = this.logged.get(sessionId) ?? baseline(recent);
    this.logged.set(sessionId, seen);
    const fresh = recent.filter((m) => !seen.has(m.id) && loggable(m));
    if (fresh.length === 0) return;
    const [engine, who] = await Promise.all([this.host.engine(), this.access.forSession(sessionId)]);
    if (!who.channel || !who.session) return;
    for (const message of fresh) {
      await engine.logTurn(message.role, message.content, { ...who, channel: who.channel, session: who.session }, message.createdAt);
      seen.add(message.id);
    }
    while (seen.size > REMEMBERED_IDS) seen.delete(seen.values().next().value!);
  }
}

/** A session seen for the first time: everything before its latest inbound message counts as handled. */
function baseline(recent: readonly Message[]): Set<string> {
  const latest = recent.findLastIndex((m) => m.role === 'user');
  return new Set(recent.slice(0, Math.max(0, latest)).map((m) => m.id));
}

function loggable(message: Message): boolean {
  return (message.role === 'user' || message.role === 'assistant') && message.content.trim() !== '';
}

/** `message.received`: the inbound message is stored. */
export class MessageReceivedLogger implements HookHandler<'message.received'> {
  constructor(private readonly log: TurnLog) {}
  async handle(value: HookValue<'message.received'>): Promise<void> {
    await this.log.catchUp(value.sessionId);
  }
}

/** `turn.completed`: the reply, when stored by now. */
export class TurnCompletedLogger implements HookHandler<'turn.completed'> {
  constructor(private readonly log: TurnLog) {}
  async handle(value: HookValue<'turn.completed'>): Promise<void> {
    if (value.outcome === 'done') await this.log.catchUp(value.sessionId);
  }
}
