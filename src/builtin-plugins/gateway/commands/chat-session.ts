import { randomUUID } from 'node:crypto';
import type { CliIo } from '@nexus/plugin-sdk';
import type { GatewayClient, SessionName } from '../client/gateway-client.js';

/** What a line typed into `nexus chat` that starts a fresh session reads. */
export const NEW_SESSION_COMMAND = '/new';

/**
 * The session a `nexus chat` conversation is in: the one `--session` names (by id or key), a
 * fresh one after `/new`, else the caller's own, known from the first reply. With `--verbose`
 * it says which, on stderr, whenever that changes.
 */
export class ChatSession {
  private announced: string | undefined;

  private constructor(
    private readonly client: GatewayClient,
    private readonly io: CliIo,
    private readonly verbose: boolean,
    /** The id sent with each message; undefined: the caller's own session. */
    public id: string | undefined,
  ) {}

  /** Looks `--session` up (an unknown one fails before any message is sent). */
  static async open(client: GatewayClient, io: CliIo, reference: string | undefined, verbose: boolean): Promise<ChatSession> {
    if (reference === undefined) return new ChatSession(client, io, verbose, undefined);
    const named = await client.session(reference);
    const session = new ChatSession(client, io, verbose, named.id);
    session.announce(named);
    return session;
  }

  /** Starts a fresh session of the caller's (`api:<conversation>`), which the next messages go to. */
  async startFresh(): Promise<SessionName> {
    const created = await this.client.createSession(`chat-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomUUID().slice(0, 8)}`);
    this.id = created.id;
    this.announced = created.id;
    return created;
  }

  /** A reply came from session `id`: the conversation goes on there. */
  async replied(id: string): Promise<void> {
    this.id = id;
    if (!this.verbose || id === '' || id === this.announced) return;
    this.announce(await this.client.session(id).catch(() => ({ id, key: '(unknown)' })));
  }

  private announce(session: SessionName): void {
    this.announced = session.id;
    if (this.verbose) this.io.stderr(`[session ${session.id}, key ${session.key}]\n`);
  }
}
