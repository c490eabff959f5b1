import type { Implementation } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '@nexus/plugin-sdk';
import { settingsFingerprint, type McpServerSettings } from '../config/index.js';
import { DEFAULT_BACKOFF, type BackoffSettings } from './backoff.js';
import { McpBridgeError } from './errors.js';
import { untilAborted } from './mcp-session.js';
import { ServerConnection, type ConnectionContext, type ServerStatus } from './server-connection.js';
import { systemTimers, type Timers } from './timers.js';

export interface ConnectionManagerOptions {
  readonly servers: readonly McpServerSettings[];
  readonly logger: Logger;
  /** What Nexus calls itself in the handshake. */
  readonly clientInfo?: Implementation;
  readonly timers?: Timers;
  /** [0, 1), for backoff jitter. */
  readonly random?: () => number;
  readonly backoff?: BackoffSettings;
}

export interface ReloadResult {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly restarted: readonly string[];
  readonly unchanged: readonly string[];
}

interface Entry {
  readonly settings: McpServerSettings;
  readonly fingerprint: string;
  /** Undefined for a disabled server. */
  readonly connection?: ServerConnection;
}

/**
 * Every configured MCP server. Eager servers start connecting on `start()` in the background
 * (start-up never waits for them); lazy ones on the first `ensureStarted()`. A reload compares
 * each server's settings and retires only the servers whose settings changed.
 */
export class ConnectionManager {
  private entries = new Map<string, Entry>();
  private readonly listeners = new Set<() => void>();
  private started = false;
  private closed = false;
  private readonly timers: Timers;
  private readonly context: ConnectionContext;

  constructor(private readonly options: ConnectionManagerOptions) {
    this.timers = options.timers ?? systemTimers;
    this.context = {
      clientInfo: options.clientInfo ?? { name: 'nexus', version: '0.0.0' },
      timers: this.timers,
      random: options.random ?? Math.random,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      logger: options.logger,
      onChange: () => this.changed(),
    };
    for (const settings of options.servers) this.entries.set(settings.id, this.entryFor(settings));
  }

  /** Starts the eager servers; returns at once. */
  start(): void {
    if (this.closed) return;
    this.started = true;
    for (const entry of this.entries.values()) if (entry.settings.start === 'eager') void entry.connection?.start();
  }

  /**
   * Starts every server not started yet (the lazy ones, or all when `start()` was never called)
   * and waits until each server's first attempt has settled (within its connect_timeout) or
   * `signal` aborts. Only first attempts: a turn never waits for a server that is retrying.
   */
  async ensureStarted(signal?: AbortSignal): Promise<void> {
    if (this.closed) return;
    const all = Promise.all(this.connections().map((connection) => connection.start())).then(() => undefined);
    await (signal ? untilAborted(all, signal).catch(() => undefined) : all);
  }

  connection(id: string): ServerConnection | undefined {
    return this.entries.get(id)?.connection;
  }

  connections(): ServerConnection[] {
    return [...this.entries.values()].flatMap((entry) => (entry.connection ? [entry.connection] : []));
  }

  status(): ServerStatus[] {
    return [...this.entries.values()].map((entry) => entry.connection?.status() ?? disabledStatus(entry.settings));
  }

  /** Calls `listener` whenever a server's tools, resources, prompts or state change. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Applies new settings. A server whose normalised settings are the same keeps its connection
   * (and process); a changed one is stopped and started again; a removed one is stopped.
   */
  async reload(servers: readonly McpServerSettings[]): Promise<ReloadResult> {
    if (this.closed) throw new McpBridgeError('bridge_closed', 'the MCP bridge was stopped; it cannot be reloaded');
    const next = new Map<string, Entry>();
    const result = { added: [] as string[], removed: [] as string[], restarted: [] as string[], unchanged: [] as string[] };
    const retired: ServerConnection[] = [];
    for (const settings of servers) {
      const old = this.entries.get(settings.id);
      const fingerprint = settingsFingerprint(settings);
      if (old && old.fingerprint === fingerprint) {
        next.set(settings.id, old);
        result.unchanged.push(settings.id);
        continue;
      }
      if (old?.connection) retired.push(old.connection);
      (old ? result.restarted : result.added).push(settings.id);
      next.set(settings.id, this.entryFor(settings, fingerprint));
    }
    for (const [id, old] of this.entries) {
      if (next.has(id)) continue;
      result.removed.push(id);
      if (old.connection) retired.push(old.connection);
    }
    this.entries = next;
    // The old processes are gone before the new ones start: a server may hold a lock or a port.
    await Promise.all(retired.map((connection) => connection.stop()));
    if (this.started) {
      for (const id of [...result.added, ...result.restarted]) {
        const entry = next.get(id);
        if (entry?.settings.start === 'eager') void entry.connection?.start();
      }
    }
    this.changed();
    return result;
  }

  /** Stops every server and its processes. Calls made afterwards fail with `bridge_closed`. */
  async stop(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.connections().map((connection) => connection.stop()));
    this.listeners.clear();
  }

  private entryFor(settings: McpServerSettings, fingerprint = settingsFingerprint(settings)): Entry {
    return { settings, fingerprint, connection: settings.enabled ? new ServerConnection(settings, this.context) : undefined };
  }

  private changed(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (error) {
        this.options.logger.warn(`an MCP change listener failed: ${(error as Error).message}`);
      }
    }
  }
}

function disabledStatus(settings: McpServerSettings): ServerStatus {
  return { id: settings.id, transport: settings.transport, start: settings.start, state: 'disabled', tools: 0, failures: 0 };
}
