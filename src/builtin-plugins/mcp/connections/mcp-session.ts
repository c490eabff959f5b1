import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Implementation, Prompt, Resource, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '@nexus/plugin-sdk';
import type { McpServerSettings } from '../config/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createTransport, type TransportHandle } from './transports.js';
import { sleep, type Timers } from './timers.js';

export type ListKind = 'tools' | 'resources' | 'prompts';

/** What the server offers, as last listed. `undefined`: the server has no such capability. */
export interface Catalog {
  readonly tools: readonly Tool[];
  readonly resources: readonly Resource[] | undefined;
  readonly prompts: readonly Prompt[] | undefined;
}

export interface SessionEvents {
  /** The connection closed without `close()` being called: a crash or a dropped stream. */
  onLost(session: McpSession): void;
  onError(session: McpSession, error: Error): void;
  /** A list changed (after a `list_changed` notification) and was fetched again. */
  onCatalog(session: McpSession): void;
  /** A refresh after `list_changed` failed; the connection decides what that means. */
  onRefreshFailed(session: McpSession, kind: ListKind, error: unknown): void;
}

/** How long a polite DELETE of the HTTP session may hold up a stop. */
const TERMINATE_WAIT_MS = 1000;
/** Pages fetched per list at most: a runaway cursor must not loop forever. */
const MAX_PAGES = 50;

/**
 * One SDK `Client` over one transport, from handshake to close: the unit a connection replaces
 * when the server crashes, restarts or its settings change. It never reconnects by itself.
 */
export class McpSession {
  readonly client: Client;
  readonly handle: TransportHandle;
  catalog: Catalog = { tools: [], resources: undefined, prompts: undefined };
  /** Set by whoever closes it on purpose, so the close is not taken for a crash. */
  closing = false;
  /** The session's replacement, once one was started after the server forgot this one. */
  renewal: Promise<void> | undefined;
  private readonly refreshes = new Map<ListKind, { running: Promise<void>; again: boolean }>();

  constructor(
    readonly settings: McpServerSettings,
    clientInfo: Implementation,
    private readonly timers: Timers,
    private readonly events: SessionEvents,
    logger: Logger,
  ) {
    this.handle = createTransport(settings, timers, (line) => logger.debug(`stderr: ${line}`, { server: settings.id }));
    const onChanged = (kind: ListKind) => ({ autoRefresh: false, debounceMs: 0, onChanged: () => this.requestRefresh(kind) });
    // autoRefresh is off because the SDK fetches only the first page; ours follows cursors.
    this.client = new Client(clientInfo, { capabilities: {}, listChanged: { tools: onChanged('tools'), resources: onChanged('resources'), prompts: onChanged('prompts') } });
    this.client.onclose = () => {
      if (!this.closing) this.events.onLost(this);
    };
    this.client.onerror = (error) => this.events.onError(this, error);
  }

  /** Handshake and first listings, within `signal` (connect_timeout). */
  async open(signal: AbortSignal): Promise<void> {
    await untilAborted(this.client.connect(this.handle.transport, { signal, timeout: this.settings.connectTimeoutMs }), signal);
    const capabilities = this.client.getServerCapabilities() ?? {};
    const [tools, resources, prompts] = await Promise.all([
      capabilities.tools ? this.list('tools', signal, this.settings.connectTimeoutMs) : [],
      capabilities.resources ? this.list('resources', signal, this.settings.connectTimeoutMs) : undefined,
      capabilities.prompts ? this.list('prompts', signal, this.settings.connectTimeoutMs) : undefined,
    ]);
    this.catalog = { tools: tools as Tool[], resources: resources as Resource[] | undefined, prompts: prompts as Prompt[] | undefined };
  }

  /**
   * Closes the connection (a stdio server's whole process group with it). `terminate` first
   * ends the HTTP session on the server (DELETE), as the spec asks of a client that is done with
   * it; never for a session the server already forgot.
   */
  async close(options: { terminate?: boolean } = {}): Promise<void> {
    this.closing = true;
    const transport = this.handle.transport;
    if (options.terminate && transport instanceof StreamableHTTPClientTransport && transport.sessionId !== undefined) {
      const ended = transport.terminateSession().catch(() => undefined);
      await Promise.race([ended, sleep(this.timers, TERMINATE_WAIT_MS)]);
    }
    await this.client.close();
  }

  serverInfo(): Implementation | undefined {
    return this.client.getServerVersion();
  }

  /** Coalesces notifications: one refresh at a time, and one more if any arrived meanwhile. */
  private requestRefresh(kind: ListKind): void {
    const current = this.refreshes.get(kind);
    if (current) {
      current.again = true;
      return;
    }
    const entry = { running: Promise.resolve(), again: false };
    entry.running = (async () => {
      do {
        entry.again = false;
        try {
          const items = await this.list(kind, undefined, this.settings.requestTimeoutMs);
          if (this.closing) return;
          this.catalog = { ...this.catalog, [kind]: items };
          this.events.onCatalog(this);
        } catch (error) {
          // After close the SDK says "Not connected": that is expected, not a failure.
          if (!this.closing) this.events.onRefreshFailed(this, kind, error);
          return;
        }
      } while (entry.again);
    })().finally(() => this.refreshes.delete(kind));
    this.refreshes.set(kind, entry);
  }

  private async list(kind: ListKind, signal: AbortSignal | undefined, timeout: number): Promise<unknown[]> {
    const items: unknown[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const params = cursor === undefined ? undefined : { cursor };
      const options = { signal, timeout };
      const result =
        kind === 'tools'
          ? await this.client.listTools(params, options).then((r) => ({ items: r.tools, next: r.nextCursor }))
          : kind === 'resources'
            ? await this.client.listResources(params, options).then((r) => ({ items: r.resources, next: r.nextCursor }))
            : await this.client.listPrompts(params, options).then((r) => ({ items: r.prompts, next: r.nextCursor }));
      items.push(...result.items);
      cursor = result.next;
      if (!cursor) break;
    }
    return items;
  }
}

/** `promise`, or the signal's reason as soon as it aborts (transport start has no signal of its own). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}
