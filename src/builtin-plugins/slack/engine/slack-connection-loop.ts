import type { Clock, Logger } from '@nexus/plugin-sdk';
import { backoffDelay, FrameAge, type Wait } from '@nexus/plugin-sdk/channel';
import type { SlackApiError } from './slack-api-errors.js';
import type { SlackEventCallback } from './slack-events.js';
import { SlackSocket, type SocketEnd } from './slack-socket.js';

/** Timings of one account's connection; tests shorten them. */
export interface SlackTiming {
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  /** From opening the WebSocket to Slack's `hello`. */
  readonly helloTimeoutMs: number;
  /** A connection with no inbound frame for this long is taken for dead and replaced. */
  readonly staleAfterMs: number;
  readonly checkEveryMs: number;
  /** A connection that lasted this long resets the backoff. */
  readonly stableAfterMs: number;
  /** The client pings every third of this and drops a connection whose pongs stop for this long. */
  readonly clientPingTimeoutMs: number;
  readonly serverPingTimeoutMs: number;
  /** How long a close handshake may take before the socket is destroyed. */
  readonly closeGraceMs: number;
  readonly httpTimeoutMs: number;
}

/**
 * Production timings. The client pings every ~6.7 s, so a live link always has frames well
 * within `staleAfterMs`; the pong timeout is 20 s rather than the client's 5 s, which turned
 * every event-loop stall of a few seconds into a reconnect storm.
 */
export const SLACK_TIMING: SlackTiming = {
  backoffInitialMs: 1_000,
  backoffMaxMs: 60_000,
  helloTimeoutMs: 15_000,
  staleAfterMs: 30_000,
  checkEveryMs: 5_000,
  stableAfterMs: 30_000,
  clientPingTimeoutMs: 20_000,
  serverPingTimeoutMs: 60_000,
  closeGraceMs: 2_000,
  httpTimeoutMs: 15_000,
};

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'stopped';

export interface SlackConnectionStatus {
  readonly state: ConnectionState;
  /** Connected and the newest inbound frame is younger than `staleAfterMs`. */
  readonly healthy: boolean;
  readonly lastInboundAt?: number;
  readonly inboundAgeMs?: number;
  readonly error?: string;
  /** Connections that reached `hello`. */
  readonly connects: number;
  /** TCP sockets to Slack's WebSocket endpoint open right now, and the most ever open at once. */
  readonly socketsOpen: number;
  readonly maxSocketsOpen: number;
  readonly lastDisconnect?: string;
}

export interface SlackConnectionLoopDeps {
  readonly appToken: string;
  readonly apiUrl: string;
  readonly appTokenField: string;
  readonly fetch: typeof fetch;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly wait: Wait;
  readonly random: () => number;
  readonly timing: SlackTiming;
  readonly onEvent: (body: SlackEventCallback, retryNum: number | undefined) => void;
}

/**
 * Keeps one Socket Mode connection up for an account: connects, waits for it to end (Slack's
 * `disconnect`, a drop, a stale link), closes it for sure, backs off with jitter, and connects
 * again. There is never more than one socket per account: the next one is opened only after the
 * previous one's TCP socket has closed.
 */
export class SlackConnectionLoop {
  private state: ConnectionState = 'idle';
  private current: SlackSocket | undefined;
  private running: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private failures = 0;
  /** Slack's retry-after from a rate-limited `apps.connections.open`, the floor of the next wait. */
  private retryAfterMs = 0;
  private connects = 0;
  private socketsOpen = 0;
  private maxSocketsOpen = 0;
  private lastError: string | undefined;
  private lastDisconnect: string | undefined;
  private readonly frames: FrameAge;

  constructor(private readonly deps: SlackConnectionLoopDeps) {
    this.frames = new FrameAge({
      clock: deps.clock,
      staleAfterMs: deps.timing.staleAfterMs,
      checkEveryMs: deps.timing.checkEveryMs,
      onStale: (ageMs) => {
        deps.logger.warn(`the Slack connection sent nothing for ${ageMs} ms (half-open); replacing it`);
        void this.current?.forceClose('stale', `no inbound frame for ${ageMs} ms`);
      },
    });
  }

  start(): void {
    if (this.running) return;
    this.abort = new AbortController();
    this.state = 'connecting';
    this.failures = 0;
    this.running = this.run(this.abort.signal);
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    this.frames.disarm();
    await this.current?.forceClose('stopped');
    await this.running;
    this.running = undefined;
    this.state = 'stopped';
  }

  /** Judges the connection's frame age now (the loop also does so every `checkEveryMs`). */
  checkLiveness(): boolean {
    return this.frames.check();
  }

  status(): SlackConnectionStatus {
    const age = this.frames.ageMs();
    return {
      state: this.state,
      healthy: this.state === 'connected' && !this.frames.isStale() && age !== undefined && age <= this.deps.timing.staleAfterMs,
      ...(this.frames.lastInboundAt !== undefined ? { lastInboundAt: this.frames.lastInboundAt, inboundAgeMs: age } : {}),
      ...(this.lastError ? { error: this.lastError } : {}),
      connects: this.connects,
      socketsOpen: this.socketsOpen,
      maxSocketsOpen: this.maxSocketsOpen,
      ...(this.lastDisconnect ? { lastDisconnect: this.lastDisconnect } : {}),
    };
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      if (this.failures > 0) {
        this.state = 'reconnecting';
        const backoff = backoffDelay(this.failures, { initialMs: this.deps.timing.backoffInitialMs, maxMs: this.deps.timing.backoffMaxMs, random: this.deps.random });
        const delay = Math.max(backoff, this.retryAfterMs);
        this.retryAfterMs = 0;
        this.deps.logger.info(`reconnecting to Slack in ${delay} ms (attempt ${this.failures})`);
        try {
          await this.deps.wait(delay, signal);
        } catch {
          break;
        }
      }
      if ((await this.connectOnce(signal)) === 'give up') break;
    }
  }

  private async connectOnce(signal: AbortSignal): Promise<'again' | 'give up'> {
    const { timing, logger, clock } = this.deps;
    this.state = this.connects > 0 ? 'reconnecting' : 'connecting';
    const socket = new SlackSocket({
      appToken: this.deps.appToken,
      apiUrl: this.deps.apiUrl,
      appTokenField: this.deps.appTokenField,
      fetch: this.deps.fetch,
      logger,
      clientPingTimeoutMs: timing.clientPingTimeoutMs,
      serverPingTimeoutMs: timing.serverPingTimeoutMs,
      helloTimeoutMs: timing.helloTimeoutMs,
      closeGraceMs: timing.closeGraceMs,
      httpTimeoutMs: timing.httpTimeoutMs,
      onFrame: () => this.frames.touch(),
      onEvent: this.deps.onEvent,
      onSocket: (delta) => {
        this.socketsOpen += delta;
        this.maxSocketsOpen = Math.max(this.maxSocketsOpen, this.socketsOpen);
      },
    });
    this.current = socket;
    try {
      const hello = await socket.open(signal);
      const connectedAt = clock.now();
      this.connects += 1;
      this.state = 'connected';
      this.lastError = undefined;
      this.frames.arm();
      logger.info(`connected to Slack Socket Mode${this.connects > 1 ? ` (reconnect ${this.connects - 1})` : ''}`);
      if ((hello.numConnections ?? 1) > 1) {
        logger.warn(`Slack counts ${hello.numConnections} open Socket Mode connections for this app-level token; another process uses it too (Slack allows 10)`);
      }
      const end = await socket.ended;
      this.frames.disarm();
      await socket.teardown();
      return this.ended(end, clock.now() - connectedAt >= timing.stableAfterMs, signal);
    } catch (error) {
      await socket.teardown();
      if (signal.aborted) return 'give up';
      const failure = error as SlackApiError;
      this.lastError = failure.message;
      if (!failure.retryable) {
        this.state = 'failed';
        logger.error(`Slack Socket Mode cannot connect: ${failure.message}`);
        return 'give up';
      }
      this.failures += 1;
      this.retryAfterMs = failure.retryAfterMs ?? 0;
      logger.warn(`Slack Socket Mode connection failed: ${failure.message}`);
      return 'again';
    } finally {
      this.frames.disarm();
      // The old socket is closed for sure before the loop may open another.
      await socket.teardown();
      if (this.current === socket) this.current = undefined;
    }
  }

  private ended(end: SocketEnd, stable: boolean, signal: AbortSignal): 'again' | 'give up' {
    this.lastDisconnect = end.detail ? `${end.reason}: ${end.detail}` : end.reason;
    if (signal.aborted || end.reason === 'stopped') return 'give up';
    if (end.reason === 'link_disabled') {
      this.state = 'failed';
      this.lastError = 'Slack turned Socket Mode off for this app (link_disabled); enable it under Settings → Socket Mode in the app configuration';
      this.deps.logger.error(this.lastError);
      return 'give up';
    }
    // Slack asks for refreshes routinely: reconnect at once. Anything else backs off, from the
    // start again if the connection had been stable.
    this.failures = end.reason === 'refresh_requested' || end.reason === 'warning' ? 0 : stable ? 1 : this.failures + 1;
    this.state = 'reconnecting';
    this.deps.logger.info(`the Slack connection ended (${this.lastDisconnect}); reconnecting`);
    return 'again';
  }
}
