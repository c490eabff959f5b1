import { SseError } from '@modelcontextprotocol/sdk/client/sse.js';
import type { Implementation } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '@nexus/plugin-sdk';
import { compileToolFilter, type McpServerSettings } from '../config/index.js';
import { backoffDelay, type BackoffSettings } from './backoff.js';
import { McpBridgeError } from './errors.js';
import { isStaleSession, isUnreachable, messageOf } from './failure-kinds.js';
import { McpSession, type Catalog, type ListKind } from './mcp-session.js';
import { RequestRunner } from './request-runner.js';
import { timeoutSignal, type TimerHandle, type Timers } from './timers.js';

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'stopped';

export interface ServerStatus {
  readonly id: string;
  readonly transport: McpServerSettings['transport'];
  readonly start: McpServerSettings['start'];
  readonly state: ConnectionState | 'disabled';
  readonly pid?: number;
  readonly lastError?: string;
  /** Tools offered to the agent (after the include/exclude filter). */
  readonly tools: number;
  readonly resources?: number;
  readonly prompts?: number;
  /** Epoch milliseconds of the current connection's handshake. */
  readonly connectedSince?: number;
  /** Failed attempts since the last healthy connection. */
  readonly failures: number;
  readonly nextRetryAt?: number;
  readonly server?: { readonly name: string; readonly version: string };
}

export interface ConnectionContext {
  readonly clientInfo: Implementation;
  readonly timers: Timers;
  readonly random: () => number;
  readonly backoff: BackoffSettings;
  readonly logger: Logger;
  /** Tools, resources, prompts or the state changed. */
  readonly onChange: () => void;
}

const EMPTY: Catalog = { tools: [], resources: undefined, prompts: undefined };

/**
 * One configured MCP server over its whole life: connecting, serving, losing the connection and
 * getting it back. A lost server's tools disappear at once (the model is never offered a dead
 * server), and it is reconnected with backoff. Requests are never resent: after a crash or a
 * server restart the caller gets a typed error and decides.
 */
export class ServerConnection {
  private state: ConnectionState = 'idle';
  private session: McpSession | undefined;
  /** The attempt in flight, if any; resolves when it settles either way. */
  private attempt: Promise<void> | undefined;
  /** The very first attempt, kept: a lazy server's first user waits for exactly that one. */
  private first: Promise<void> | undefined;
  private generation = 0;
  private failures = 0;
  private lastError: string | undefined;
  private connectedSince: number | undefined;
  private retryTimer: TimerHandle | undefined;
  private nextRetryAt: number | undefined;
  private readonly allows: (toolName: string) => boolean;
  private readonly runner: RequestRunner;
  private readonly logger: Logger;

  constructor(
    readonly settings: McpServerSettings,
    private readonly context: ConnectionContext,
  ) {
    this.allows = compileToolFilter(settings.tools);
    this.logger = context.logger.child({ server: settings.id });
    this.runner = new RequestRunner(settings, {
      current: () => this.session,
      unavailable: () => this.unavailableError(),
      renew: (session, why) => this.renew(session, why),
      drop: (session, why) => this.drop(session, why),
      lossDescription: (session) => session.handle.exitDescription(),
    });
  }

  get id(): string {
    return this.settings.id;
  }

  /** What the server offers right now; empty unless connected. */
  catalog(): Catalog {
    if (this.state !== 'connected' || !this.session) return EMPTY;
    const { tools, resources, prompts } = this.session.catalog;
    return { tools: tools.filter((tool) => this.allows(tool.name)), resources, prompts };
  }

  /** Starts connecting if it never has; resolves when the first attempt settles, either way. */
  start(): Promise<void> {
    if (this.state === 'idle') this.connect();
    return this.first ?? Promise.resolve();
  }

  get requests(): RequestRunner {
    return this.runner;
  }

  status(): ServerStatus {
    const catalog = this.catalog();
    const info = this.session?.serverInfo();
    return {
      id: this.id,
      transport: this.settings.transport,
      start: this.settings.start,
      state: this.state,
      pid: this.state === 'connected' ? this.session?.handle.pid() : undefined,
      lastError: this.lastError,
      tools: catalog.tools.length,
      resources: catalog.resources?.length,
      prompts: catalog.prompts?.length,
      connectedSince: this.state === 'connected' ? this.connectedSince : undefined,
      failures: this.failures,
      nextRetryAt: this.state === 'reconnecting' ? this.nextRetryAt : undefined,
      server: info ? { name: info.name, version: info.version } : undefined,
    };
  }

  /** Ends the connection for good, and the server's process group with it. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.generation++;
    this.clearRetry();
    const session = this.session;
    this.session = undefined;
    await Promise.all([session?.close({ terminate: true }), this.attempt]);
    this.context.onChange();
  }

  private connect(): void {
    const generation = ++this.generation;
    this.clearRetry();
    this.state = this.failures > 0 || this.connectedSince !== undefined ? 'reconnecting' : 'connecting';
    const session = new McpSession(this.settings, this.context.clientInfo, this.context.timers, this.sessionEvents(), this.logger);
    const timeout = timeoutSignal(this.context.timers, this.settings.connectTimeoutMs, () => new Error(`it did not finish starting and the MCP handshake within ${this.settings.connectTimeoutMs} ms (connect_timeout)`));
    this.attempt = session
      .open(timeout.signal)
      .then(
        () => {
          if (generation !== this.generation) return session.close();
          this.session = session;
          this.state = 'connected';
          this.connectedSince = this.context.timers.now();
          this.lastError = undefined;
          this.logger.info(`connected to MCP server ${this.id} (${session.catalog.tools.length} tools)`);
          this.context.onChange();
        },
        async (error: unknown) => {
          // Close first, so a stdio server's exit (and its stderr) is known for the message.
          await session.close().catch(() => undefined);
          if (generation !== this.generation) return;
          const reason = timeout.signal.aborted ? messageOf(timeout.signal.reason) : messageOf(error);
          const exit = session.handle.exitDescription();
          this.fail(`could not connect: ${reason}${exit ? ` (the server ${exit})` : ''}`);
        },
      )
      .finally(() => {
        timeout.dispose();
        if (generation === this.generation) this.attempt = undefined;
      });
    this.first ??= this.attempt;
  }

  private sessionEvents() {
    return {
      onLost: (session: McpSession) => void this.drop(session, `the connection was lost${describeExit(session)}`),
      onError: (session: McpSession, error: Error) => this.onTransportError(session, error),
      onCatalog: (session: McpSession) => {
        if (session === this.session) this.context.onChange();
      },
      onRefreshFailed: (session: McpSession, kind: ListKind, error: unknown) => {
        if (isStaleSession(error)) void this.renew(session, 'it no longer knows this session (it restarted)');
        else if (isUnreachable(error)) void this.drop(session, `it cannot be reached: ${messageOf(error)}`);
        else this.logger.warn(`refreshing the ${kind} of MCP server ${this.id} failed: ${messageOf(error)}`);
      },
    };
  }

  private onTransportError(session: McpSession, error: Error): void {
    if (session !== this.session) return;
    if (isStaleSession(error)) {
      void this.renew(session, 'it no longer knows this session (it restarted)');
    } else if (error instanceof SseError) {
      // The legacy transport's event stream is the connection: when it breaks, the session is gone.
      void this.drop(session, `its event stream broke: ${error.message}`);
    } else if (/SSE stream disconnected|Failed to reconnect SSE stream|Maximum reconnection attempts/.test(error.message)) {
      // The streamable-HTTP notification stream dropped: find out whether the server is still there.
      void session.client.ping({ timeout: this.settings.requestTimeoutMs }).catch((pingError: unknown) => {
        if (isStaleSession(pingError)) void this.renew(session, 'it no longer knows this session (it restarted)');
        else if (session === this.session) void this.drop(session, `it stopped answering: ${messageOf(pingError)}`);
      });
    } else {
      this.logger.debug(`MCP transport error: ${error.message}`);
    }
  }

  /**
   * The server forgot the session: hand the session over to a fresh handshake at once (no
   * backoff: the server is up). Shared by every request that noticed, so there is one new session.
   */
  private renew(session: McpSession, why: string): Promise<void> {
    session.renewal ??= (async () => {
      const current = session === this.session;
      if (current) {
        this.session = undefined;
        this.state = 'reconnecting';
        this.logger.warn(`MCP server ${this.id}: ${why}; starting a new session`);
        this.context.onChange();
      }
      await session.close().catch(() => undefined);
      // A session already given up (crash, stop) is not this one's to replace.
      if (!current || this.state === 'stopped') return this.attempt;
      this.connect();
      return this.attempt;
    })();
    return session.renewal;
  }

  /** The connection is gone (crash, unreachable): withdraw its tools now, reconnect with backoff. */
  private async drop(session: McpSession, why: string): Promise<void> {
    if (session !== this.session) return;
    this.session = undefined;
    const stable = this.connectedSince !== undefined && this.context.timers.now() - this.connectedSince >= this.context.backoff.stableAfterMs;
    if (stable) this.failures = 0;
    this.fail(why);
    await session.close().catch(() => undefined);
  }

  private fail(why: string): void {
    this.failures++;
    this.lastError = why;
    this.state = 'reconnecting';
    const delay = backoffDelay(this.context.backoff, this.failures, this.context.random);
    this.nextRetryAt = this.context.timers.now() + delay;
    this.logger.warn(`MCP server ${this.id} ${why}; retrying in ${delay} ms`);
    this.retryTimer = this.context.timers.setTimeout(() => {
      this.retryTimer = undefined;
      if (this.state === 'reconnecting' && !this.attempt) this.connect();
    }, delay);
    this.context.onChange();
  }

  private clearRetry(): void {
    if (this.retryTimer !== undefined) this.context.timers.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.nextRetryAt = undefined;
  }

  private unavailableError(): McpBridgeError {
    const id = this.id;
    if (this.state === 'stopped') return new McpBridgeError('bridge_closed', `MCP server "${id}" was stopped; nothing can be called on it any more`, id);
    if (this.state === 'idle') return new McpBridgeError('server_unavailable', `MCP server "${id}" has not been started yet (start: lazy); list the tools first to start it`, id);
    if (this.state === 'connecting') return new McpBridgeError('server_unavailable', `MCP server "${id}" is still starting; try again in a moment`, id);
    const wait = this.nextRetryAt === undefined ? 'now' : `in ${Math.max(0, Math.ceil((this.nextRetryAt - this.context.timers.now()) / 1000))} s`;
    return new McpBridgeError('server_unavailable', `MCP server "${id}" is not connected (${this.lastError ?? 'reconnecting'}); Nexus retries ${wait}`, id);
  }
}

function describeExit(session: McpSession): string {
  const exit = session.handle.exitDescription();
  return exit ? ` (the server ${exit})` : '';
}
