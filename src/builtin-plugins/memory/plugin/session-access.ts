import { SessionStoreToken, type ServiceRegistry } from '@nexus/plugin-sdk';
import { decideSessionPrivacy } from '@nexus/plugin-sdk/prompt';
import type { MemoryAccess } from '../operations/index.js';

/** How many sessions' answers are kept; a session's kind of chat never changes. */
const REMEMBERED = 2000;

/**
 * Who a tool call or a turn speaks for: whether the session is private (MEMORY.md) and the tags
 * its daily-log entries carry. Tools get only a session id, so the session and its latest inbound
 * message (whose metadata says `chat_type`) are read from the store. Unknown means not private:
 * a session that cannot be read never sees MEMORY.md.
 */
export class SessionAccess {
  private readonly known = new Map<string, MemoryAccess>();

  constructor(private readonly services: ServiceRegistry) {}

  /**
   * `inbound`: the current message's metadata when the caller has it (a prompt section does);
   * it decides privacy together with what is stored.
   */
  async forSession(sessionId: string | undefined, inbound?: Readonly<Record<string, unknown>>): Promise<MemoryAccess> {
    if (sessionId === undefined) return { private: false };
    const cached = this.known.get(sessionId);
    if (cached) return cached;
    if (!this.services.has(SessionStoreToken)) return { private: false };
    const store = await this.services.get(SessionStoreToken);
    let access: MemoryAccess;
    try {
      const session = await store.get(sessionId);
      const recent = await store.history(sessionId, 20);
      const latest = inbound ?? recent.findLast((m) => m.role === 'user' && Object.keys(m.metadata).length > 0)?.metadata ?? {};
      const privacy = decideSessionPrivacy({ channel: session.channel, metadata: { ...session.metadata, ...latest } });
      access = { private: privacy.private, channel: session.channel, session: session.key };
    } catch {
      return { private: false };
    }
    if (this.known.size >= REMEMBERED) this.known.delete(this.known.keys().next().value!);
    this.known.set(sessionId, access);
    return access;
  }
}
