import { once } from 'node:events';
import type { Socket } from 'node:net';
import { SocketModeClient } from '@slack/socket-mode';
import { Agent, buildConnector } from 'undici';
import type { Logger } from '@nexus/plugin-sdk';
import { SlackApiError, slackApiError } from './slack-api-errors.js';
import type { SlackEventCallback } from './slack-events.js';
import { slackLibraryLogger } from './slack-library-logger.js';

export interface SlackSocketOptions {
  readonly appToken: string;
  /** Web API base, `…/api/`. */
  readonly apiUrl: string;
  /** The config key of the app-level token, for error messages. */
  readonly appTokenField: string;
  readonly fetch: typeof fetch;
  readonly logger: Logger;
  readonly clientPingTimeoutMs: number;
  readonly serverPingTimeoutMs: number;
  readonly helloTimeoutMs: number;
  readonly closeGraceMs: number;
  readonly httpTimeoutMs: number;
  /** Any bytes arrived from Slack (a frame, a ping, a pong). */
  readonly onFrame: () => void;
  /** An `events_api` envelope, already acked. */
  readonly onEvent: (body: SlackEventCallback, retryNum: number | undefined) => void;
  /** A raw socket to Slack opened (+1) or closed (-1). */
  readonly onSocket: (delta: 1 | -1) => void;
}

export type SocketEndReason = 'refresh_requested' | 'warning' | 'link_disabled' | 'too_many_websockets' | 'closed' | 'stale' | 'stopped';

export interface SocketEnd {
  readonly reason: SocketEndReason;
  readonly detail?: string;
}

/**
 * One Socket Mode connection, from `apps.connections.open` to a socket that is closed for sure.
 *
 * The SocketModeClient's own reconnect is off: it opens the new socket without waiting for the
 * old one (the leak behind the 10-socket cap) and retries `apps.connections.open` a hundred
 * times. The connection loop reconnects instead, one socket at a time. This class owns the TCP
 * socket (through its own undici dispatcher) so that teardown can destroy it even when the peer
 * never answers the close frame, and so that every byte from Slack counts as a sign of life.
 */
export class SlackSocket {
  readonly ended: Promise<SocketEnd>;
  private resolveEnd!: (end: SocketEnd) => void;
  private readonly agent: Agent;
  private readonly client: SocketModeClient;
  private readonly raws = new Map<Socket, Promise<unknown>>();
  private disconnectReason: SocketEndReason | undefined;
  private lastError: Error | undefined;
  private numConnections: number | undefined;
  private tornDown: Promise<void> | undefined;

  constructor(private readonly options: SlackSocketOptions) {
    this.ended = new Promise((resolve) => (this.resolveEnd = resolve));
    const connector = buildConnector({});
    this.agent = new Agent({
      connect: (connectOptions, callback) =>
        connector(connectOptions, (error, socket) => {
          if (error || !socket) return callback(error ?? new Error('the connector returned no socket'), null);
          this.adopt(socket as Socket);
          callback(null, socket);
        }),
    });
    this.client = new SocketModeClient({
      appToken: options.appToken,
      autoReconnectEnabled: false,
      clientPingTimeout: options.clientPingTimeoutMs,
      serverPingTimeout: options.serverPingTimeoutMs,
      logger: slackLibraryLogger(options.logger),
      dispatcher: this.agent,
      // HTTP calls go through the given fetch, not the WebSocket's dispatcher, so the socket
      // captured above is always the WebSocket's own.
      clientOptions: { slackApiUrl: options.apiUrl, fetch: options.fetch, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: options.httpTimeoutMs },
    });
    this.client.on('slack_event', (args: { ack: () => Promise<void>; type: string; body: SlackEventCallback; retry_num?: number }) => {
      // Acked at once, before any work: Slack redelivers what is not acked within 3 s.
      args.ack().catch((error: unknown) => options.logger.debug(`could not ack a Slack envelope: ${(error as Error).message}`));
      if (args.type === 'events_api') options.onEvent(args.body, args.retry_num);
    });
    this.client.on('ws_message', (data: string | ArrayBuffer) => this.onMessage(data));
    this.client.on('connected', () => {
      for (const socket of this.raws.keys()) socket.on('data', options.onFrame);
    });
    this.client.on('disconnected', () => this.resolveEnd({ reason: this.disconnectReason ?? 'closed' }));
    this.client.on('error', (error: Error) => (this.lastError = error));
  }

  /** Opens the connection and waits for Slack's `hello`; returns how many sockets Slack counts for the token. */
  async open(signal: AbortSignal): Promise<{ readonly numConnections?: number }> {
    const started = this.client.start();
    started.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SlackApiError(`Slack sent no hello within ${this.options.helloTimeoutMs} ms of opening the Socket Mode connection`, 'unreachable')), this.options.helloTimeoutMs);
    });
    const aborted = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(new SlackApiError('the connection was stopped while opening', 'unreachable'));
      signal.addEventListener('abort', () => reject(new SlackApiError('the connection was stopped while opening', 'unreachable')), { once: true });
    });
    try {
      await Promise.race([started, timedOut, aborted]);
    } catch (error) {
      throw this.describe(error);
    } finally {
      clearTimeout(timer);
    }
    this.options.onFrame();
    return this.numConnections === undefined ? {} : { numConnections: this.numConnections };
  }

  /** Ends the connection from our side (a stale socket, or stopping). */
  forceClose(reason: SocketEndReason, detail?: string): Promise<void> {
    this.resolveEnd({ reason, ...(detail ? { detail } : {}) });
    return this.teardown();
  }

  /**
   * Closes the WebSocket politely, and after `closeGraceMs` destroys the TCP socket whether or
   * not Slack answered; resolves once the socket is closed, never before.
   */
  teardown(): Promise<void> {
    this.tornDown ??= this.closeForSure();
    return this.tornDown;
  }

  private async closeForSure(): Promise<void> {
    this.resolveEnd({ reason: 'stopped' });
    const disconnected = this.client.disconnect().catch(() => undefined);
    await raceGrace(disconnected, this.options.closeGraceMs);
    for (const socket of this.raws.keys()) if (!socket.destroyed) socket.destroy();
    await Promise.all(this.raws.values());
    await raceGrace(disconnected, this.options.closeGraceMs);
    this.client.removeAllListeners();
    await this.agent.destroy().catch(() => undefined);
  }

  private adopt(socket: Socket): void {
    const closed = socket.closed ? Promise.resolve() : once(socket, 'close').catch(() => undefined);
    this.raws.set(socket, closed);
    this.options.onSocket(1);
    void closed.then(() => this.options.onSocket(-1));
  }

  private onMessage(data: string | ArrayBuffer): void {
    const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
    // Only the small control frames matter here; envelopes arrive through `slack_event`.
    if (text.length > 4096 || !/"type"\s*:\s*"(hello|disconnect)"/.test(text)) return;
    try {
      const frame = JSON.parse(text) as { type?: string; reason?: string; num_connections?: number };
      if (frame.type === 'hello' && typeof frame.num_connections === 'number') this.numConnections = frame.num_connections;
      if (frame.type === 'disconnect') this.disconnectReason = isEndReason(frame.reason) ? frame.reason : 'closed';
    } catch {
      // The client logs frames it cannot parse.
    }
  }

  private describe(error: unknown): SlackApiError {
    if (error instanceof SlackApiError) return error;
    if (error !== undefined) return slackApiError(error, { method: 'apps.connections.open', token: 'app-level token', field: this.options.appTokenField, apiUrl: this.options.apiUrl });
    const cause = (this.lastError as { original?: Error } | undefined)?.original ?? this.lastError;
    return new SlackApiError(`the Socket Mode WebSocket could not be opened: ${cause?.message || 'the connection closed before hello'}`, 'unreachable');
  }
}

function isEndReason(reason: unknown): reason is SocketEndReason {
  return reason === 'refresh_requested' || reason === 'warning' || reason === 'link_disabled' || reason === 'too_many_websockets';
}

async function raceGrace(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
