import type { GatewayDispatchPayload, GatewayReadyDispatchData } from '@discordjs/core';
import type { REST } from '@discordjs/rest';
import { WebSocketManager, WebSocketShardEvents, WebSocketShardStatus, type IIdentifyThrottler, type SessionInfo } from '@discordjs/ws';
import type { Clock, Logger } from '@nexus/plugin-sdk';
import { backoffDelay, FrameAge, type Wait } from '@nexus/plugin-sdk/channel';
import { discordError, fatalCloseMessage, type DiscordChannelError } from './discord-errors.js';
import type { ConnectionState, DiscordConnectionStatus, DiscordTiming } from './discord-timing.js';

export interface DiscordGatewayLoopDeps {
  readonly token: string;
  readonly rest: REST;
  readonly intents: number;
  readonly tokenField: string;
  readonly apiUrl: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly wait: Wait;
  readonly random: () => number;
  readonly timing: DiscordTiming;
  /** Paces IDENTIFYs; default: the library's (one per 5 s per concurrency bucket, as Discord requires). */
  readonly identifyThrottler?: IIdentifyThrottler;
  readonly onDispatch: (payload: GatewayDispatchPayload) => void;
  readonly onReady: (data: GatewayReadyDispatchData) => void;
}

/**
 * Keeps one gateway session up for an account with `@discordjs/ws`, and fixes what the library
 * leaves open: its reconnects have a fixed 500 ms pause (a storm while Discord is down), it
 * resumes a failing session forever, and it cannot cut a socket that went silent. Here the
 * session store decides: before each new connection it waits out a jittered backoff, and after
 * `maxResumeAttempts` RESUMEs without success it gives the session up, so the next connection
 * IDENTIFYs afresh. A connection whose frames stop (no dispatch, no heartbeat ACK) is replaced
 * by a new manager that RESUMEs; the old one is retired and never connects again.
 */
export class DiscordGatewayLoop {
  private manager: WebSocketManager | undefined;
  private generation = 0;
  private session: SessionInfo | null = null;
  private state: ConnectionState = 'idle';
  private failures = 0;
  /** The relaunch after a failed `GET /gateway/bot` has waited already; its connection need not wait again. */
  private waited = false;
  private resumeAttempts = 0;
  private readyAt: number | undefined;
  private identified = 0;
  private resumed = 0;
  private lastError: string | undefined;
  private lastClose: string | undefined;
  private stopping = new AbortController();
  private readonly frames: FrameAge;

  constructor(private readonly deps: DiscordGatewayLoopDeps) {
    this.frames = new FrameAge({
      clock: deps.clock,
      staleAfterMs: deps.timing.staleAfterMs,
      checkEveryMs: deps.timing.checkEveryMs,
      onStale: (ageMs) => this.replace(`no dispatch or heartbeat ACK for ${ageMs} ms`),
    });
  }

  start(): void {
    if (this.manager) return;
    this.stopping = new AbortController();
    this.state = 'connecting';
    this.failures = 0;
    this.resumeAttempts = 0;
    this.launch();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.frames.disarm();
    this.generation += 1;
    const manager = this.manager;
    this.manager = undefined;
    this.session = null;
    this.state = 'stopped';
    // Code 1000 ends the session at Discord too, so the bot shows offline at once.
    if (manager) await raceGrace(Promise.resolve(manager.destroy({ code: 1000, reason: 'stopping' })).catch(() => undefined), this.deps.timing.closeGraceMs);
  }

  /** Judges the connection's frame age now (the loop also does so every `checkEveryMs`). */
  checkLiveness(): boolean {
    return this.frames.check();
  }

  status(): DiscordConnectionStatus {
    const age = this.frames.ageMs();
    return {
      state: this.state,
      healthy: this.state === 'connected' && age !== undefined && age <= this.deps.timing.staleAfterMs,
      ...(this.frames.lastInboundAt !== undefined ? { lastInboundAt: this.frames.lastInboundAt, inboundAgeMs: age } : {}),
      ...(this.lastError ? { error: this.lastError } : {}),
      identified: this.identified,
      resumed: this.resumed,
      ...(this.lastClose ? { lastClose: this.lastClose } : {}),
    };
  }

  /** A new manager (generation) that connects in the background; the session store resumes if it can. */
  private launch(): void {
    const generation = ++this.generation;
    const current = () => generation === this.generation;
    // Transport compression stays off (the library's default): zlib-stream needs the native
    // zlib-sync or a per-connection node:zlib inflater, and only saves bandwidth.
    const manager: WebSocketManager = new WebSocketManager({
      token: this.deps.token,
      intents: this.deps.intents,
      rest: this.deps.rest,
      shardCount: 1,
      helloTimeout: this.deps.timing.helloTimeoutMs,
      readyTimeout: this.deps.timing.readyTimeoutMs,
      handshakeTimeout: this.deps.timing.handshakeTimeoutMs,
      retrieveSessionInfo: (shardId) => this.retrieve(current, manager, shardId),
      updateSessionInfo: (_shardId, info) => {
        if (current()) this.session = info;
      },
      ...(this.deps.identifyThrottler ? { buildIdentifyThrottler: () => this.deps.identifyThrottler! } : {}),
    });
    this.listen(manager, current);
    this.manager = manager;
    void this.connect(manager, current);
  }

  private listen(manager: WebSocketManager, current: () => boolean): void {
    const { logger, clock } = this.deps;
    manager.on(WebSocketShardEvents.Hello, () => current() && this.frames.arm());
    manager.on(WebSocketShardEvents.HeartbeatComplete, () => current() && this.frames.touch());
    manager.on(WebSocketShardEvents.Ready, (data) => {
      if (!current()) return;
      this.sessionUp(clock.now());
      this.identified += 1;
      logger.info(`connected to the Discord gateway as ${data.user.username} (${data.user.id})`);
      this.deps.onReady(data);
    });
    manager.on(WebSocketShardEvents.Resumed, () => {
      if (!current()) return;
      this.sessionUp(clock.now());
      this.resumed += 1;
      logger.info('resumed the Discord gateway session');
    });
    manager.on(WebSocketShardEvents.Dispatch, (payload) => {
      if (!current()) return;
      this.frames.touch();
      this.deps.onDispatch(payload);
    });
    manager.on(WebSocketShardEvents.Closed, (code) => current() && this.closed(code, manager));
    manager.on(WebSocketShardEvents.Error, (error) => current() && logger.warn(`Discord gateway: ${error.message}`));
    manager.on(WebSocketShardEvents.SocketError, (error) => current() && logger.debug(`Discord gateway socket error: ${error.message}`));
    manager.on(WebSocketShardEvents.Debug, (message) => {
      if (!current()) return;
      logger.trace(`discord ws: ${message}`);
      // OP 9 is visible only here; the library then RESUMEs on the same socket if the store has a session.
      if (message.startsWith('Invalid session;')) this.invalidSession(/resume: true/.test(message));
    });
  }

  private async connect(manager: WebSocketManager, current: () => boolean): Promise<void> {
    try {
      await manager.connect();
    } catch (error) {
      if (!current()) return;
      const failure = this.failureOf(error);
      this.lastError = failure.message;
      this.retire(manager, 1000);
      if (!failure.retryable) {
        this.fail(failure.message);
        return;
      }
      this.failures += 1;
      this.state = 'reconnecting';
      this.deps.logger.warn(`cannot connect to the Discord gateway: ${failure.message}`);
      try {
        await this.deps.wait(Math.max(this.backoff(), failure.retryAfterMs ?? 0), this.stopping.signal);
      } catch {
        return;
      }
      this.waited = true;
      if (current()) this.launch();
    }
  }

  /** The session store, asked before every connection and on every heartbeat, dispatch and OP 9. */
  private async retrieve(current: () => boolean, manager: WebSocketManager, shardId: number): Promise<SessionInfo | null> {
    // A retired manager never connects again: its question is never answered.
    if (!current()) return new Promise<never>(() => undefined);
    const status = (await manager.fetchStatus()).get(shardId);
    if (status !== WebSocketShardStatus.Idle) return this.session;
    // The shard is about to open a connection: back off if the last ones failed.
    if (this.failures > 0 && !this.waited) {
      this.state = 'reconnecting';
      try {
        await this.deps.wait(this.backoff(), this.stopping.signal);
      } catch {
        return new Promise<never>(() => undefined);
      }
      if (!current()) return new Promise<never>(() => undefined);
    }
    this.waited = false;
    this.failures += 1;
    if (!this.session) return null;
    if (this.resumeAttempts >= this.deps.timing.maxResumeAttempts) {
      this.giveUpSession();
      return null;
    }
    this.resumeAttempts += 1;
    return this.session;
  }

  private invalidSession(resumable: boolean): void {
    if (!resumable || !this.session) return;
    if (this.resumeAttempts >= this.deps.timing.maxResumeAttempts) this.giveUpSession();
    else this.resumeAttempts += 1;
  }

  private giveUpSession(): void {
    this.deps.logger.warn(`${this.resumeAttempts} RESUMEs of the Discord session failed; identifying afresh`);
    this.session = null;
    this.resumeAttempts = 0;
  }

  private sessionUp(now: number): void {
    this.state = 'connected';
    this.readyAt = now;
    this.resumeAttempts = 0;
    this.lastError = undefined;
  }

  private closed(code: number, manager: WebSocketManager): void {
    this.frames.disarm();
    this.lastClose = String(code);
    const fatal = fatalCloseMessage(code, this.deps.tokenField);
    if (fatal) {
      this.retire(manager, 1000);
      this.fail(fatal);
      return;
    }
    if (this.readyAt !== undefined && this.deps.clock.now() - this.readyAt >= this.deps.timing.stableAfterMs) this.failures = 0;
    this.readyAt = undefined;
    this.state = 'reconnecting';
    this.deps.logger.info(`the Discord gateway connection closed (${code}); reconnecting`);
  }

  /** Replaces a connection that went silent: a new manager resumes, the old one is retired. */
  private replace(reason: string): void {
    const old = this.manager;
    if (!old) return;
    this.deps.logger.warn(`the Discord gateway connection is silent (${reason}); replacing it`);
    this.lastClose = `stale: ${reason}`;
    this.state = 'reconnecting';
    this.failures += 1;
    this.launch();
    // 4200 (not 1000) keeps the session resumable for the new connection.
    this.retire(old, 4200);
  }

  /** Closes a manager that is no longer current, in the background. */
  private retire(manager: WebSocketManager, code: number): void {
    void Promise.resolve(manager.destroy({ code, reason: 'retired' })).catch((error: unknown) => this.deps.logger.debug(`retiring a Discord gateway manager: ${(error as Error).message}`));
  }

  private fail(message: string): void {
    this.state = 'failed';
    this.lastError = message;
    this.generation += 1;
    this.manager = undefined;
    this.deps.logger.error(`the Discord account cannot connect: ${message}`);
  }

  private backoff(): number {
    return backoffDelay(this.failures, { initialMs: this.deps.timing.backoffInitialMs, maxMs: this.deps.timing.backoffMaxMs, random: this.deps.random });
  }

  private failureOf(error: unknown): DiscordChannelError {
    return discordError(error, { route: 'GET /gateway/bot', field: this.deps.tokenField, apiUrl: this.deps.apiUrl });
  }
}

async function raceGrace(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
