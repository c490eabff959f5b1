import { setMaxListeners } from 'node:events';
import type { Session, SessionStore, TaskTracker } from '@nexus/plugin-sdk';
import { SessionQueue } from './session-queue.js';
import { sessionKey } from './session-key.js';
import type { TurnRunner } from './turn-runner.js';
import type { CallerHandle, CallerSignal, TurnEvent, TurnListener, TurnOutcome, TurnRequest } from './turn-types.js';

/** Thrown by `submit` once the gateway is draining: no new work is accepted. */
export class PipelineClosedError extends Error {
  readonly code = 'unavailable';
  constructor() {
    super('the gateway is shutting down and accepts no new messages; retry against another instance or after restart');
    this.name = 'PipelineClosedError';
  }
}

export interface PipelineOptions {
  readonly maxConcurrentTurns: number;
}

/**
 * Every inbound message, from a channel or the API, goes through here: one turn at a time per
 * session, in order; sessions in parallel up to a limit; each turn a tracked task; subscribers
 * of a session see its turns whoever started them. `drain` is the shutdown path.
 */
export class MessagePipeline {
  private readonly queue: SessionQueue;
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly subscribers = new Map<string, Set<TurnListener>>();
  private readonly shutdown = new AbortController();
  /** Callers with turns that shutdown must cut off too (see `openCaller`). */
  private readonly callers = new Set<AbortController>();
  private closed = false;

  constructor(
    private readonly runner: TurnRunner,
    private readonly sessions: () => Promise<SessionStore>,
    private readonly tasks: TaskTracker,
    options: PipelineOptions,
  ) {
    // Each running turn listens for shutdown (up to maxConcurrentTurns at once) and stops
    // listening when it ends: many listeners here are load, not a leak.
    setMaxListeners(0, this.shutdown.signal);
    this.queue = new SessionQueue(options.maxConcurrentTurns);
  }

  get accepting(): boolean {
    return !this.closed;
  }

  /**
   * The session for a conversation, created on first contact; `ownerId` owns it if it is created
   * now (an API caller's own session), and none means the system's (a channel's conversation).
   */
  async resolveSession(agentId: string, channel: string, conversationId: string, options: { readonly ownerId?: string; readonly metadata?: Record<string, unknown> } = {}): Promise<Session> {
    return (await this.sessions()).getOrCreate({
      agentId,
      channel,
      key: sessionKey(agentId, channel, conversationId),
      ...(options.metadata !== undefined ? { metadata: options.metadata } : {}),
      ...(options.ownerId !== undefined ? { ownerId: options.ownerId } : {}),
    });
  }

  /**
   * A signal for one caller's turns that also aborts when shutdown cuts turns off, so each turn
   * runs on it as it is. Merging the caller's signal with shutdown's per turn took a controller
   * and two listeners on every turn, a measurable share of its cost.
   */
  openCaller(): CallerHandle {
    const controller = new AbortController();
    // Each running turn of the caller listens on it: many listeners here are load, not a leak.
    setMaxListeners(0, controller.signal);
    if (this.shutdown.signal.aborted) controller.abort(this.shutdown.signal.reason);
    else this.callers.add(controller);
    return {
      signal: controller.signal as CallerSignal,
      cancel: (reason) => controller.abort(reason),
      close: () => this.callers.delete(controller),
    };
  }

  /** Queues a turn behind the session's earlier ones; resolves when it has ended and been stored. */
  submit(request: TurnRequest, listener?: TurnListener): Promise<TurnOutcome> {
    if (this.closed) return Promise.reject(new PipelineClosedError());
    const sessionId = request.session.id;
    // A silent turn's events go to its caller alone: the session's subscribers never see it.
    const fanOut: TurnListener = request.silent
      ? (event) => listener?.(event)
      : (event) => {
          listener?.(event);
          for (const subscriber of this.subscribers.get(sessionId) ?? []) safely(subscriber, event);
        };
    const turn = this.tasks.run(`turn:${sessionId}`, () =>
      this.queue.run(sessionId, () => {
        // A caller that gave up while queued never starts a turn. One cut off by shutdown does,
        // so that its message is stored (and the turn recorded as interrupted), not lost.
        if (request.signal?.aborted && !this.shutdown.signal.aborted) return Promise.reject(request.signal.reason ?? new Error('cancelled before the turn started'));
        return this.runner.run(request, this.shutdown.signal, fanOut);
      }),
    );
    this.inflight.add(turn);
    void turn.then(
      () => this.inflight.delete(turn),
      () => this.inflight.delete(turn),
    );
    return turn;
  }

  /** Turns submitted and not yet settled: running, or queued behind their session's earlier ones. */
  inFlight(): number {
    return this.inflight.size;
  }

  /** Sees every turn of `sessionId` as it happens. Returns the unsubscribe function. */
  subscribe(sessionId: string, listener: TurnListener): () => void {
    const set = this.subscribers.get(sessionId) ?? new Set<TurnListener>();
    set.add(listener);
    this.subscribers.set(sessionId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.subscribers.delete(sessionId);
    };
  }

  /**
   * Stops accepting work, lets in-flight and queued turns finish until `deadlineMs`, then cuts
   * off the rest (each is stored as interrupted). Resolves once every turn has settled.
   */
  async drain(deadlineMs: number): Promise<{ readonly finished: boolean }> {
    this.closed = true;
    const settled = Promise.allSettled([...this.inflight]);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), deadlineMs)));
    const first = await Promise.race([settled.then(() => 'settled' as const), timedOut]);
    clearTimeout(timer);
    if (first === 'settled') return { finished: true };
    this.shutdown.abort(new Error('shutdown'));
    for (const caller of this.callers) caller.abort(this.shutdown.signal.reason);
    this.callers.clear();
    await Promise.allSettled([...this.inflight]);
    return { finished: false };
  }
}

function safely(listener: TurnListener, event: TurnEvent): void {
  try {
    listener(event);
  } catch {
    // A subscriber that throws (a closed stream) must not break the turn or other subscribers.
  }
}
