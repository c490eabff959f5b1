import type { Clock } from '../contracts/index.js';

export interface FrameAgeOptions {
  readonly clock: Clock;
  /** A connection whose newest inbound frame is older than this is taken for dead. */
  readonly staleAfterMs: number;
  /** How often the age is checked while armed. */
  readonly checkEveryMs: number;
  /** Called once per armed connection that went stale, with the age that tripped it. */
  readonly onStale: (ageMs: number) => void;
}

/**
 * Connection health from the age of the newest inbound frame (a message, a ping, a pong, a
 * heartbeat ACK), never from a library's "connected" flag: a half-open socket stays "connected"
 * forever, but it stops delivering frames.
 */
export class FrameAge {
  private lastAt: number | undefined;
  private armed = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: FrameAgeOptions) {}

  /** Starts watching a fresh connection; its opening counts as its first frame. */
  arm(): void {
    this.armed = true;
    this.lastAt = this.options.clock.now();
    if (this.timer) return;
    // The check runs from setImmediate, after the poll phase: when the event loop was blocked,
    // the frames that arrived meanwhile are read before their age is judged, so a busy process
    // does not mistake its own stall for a dead peer.
    this.timer = setInterval(() => setImmediate(() => this.check()), this.options.checkEveryMs);
    this.timer.unref();
  }

  /** Stops watching (the connection closed or is being replaced). */
  disarm(): void {
    this.armed = false;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** An inbound frame arrived. */
  touch(): void {
    this.lastAt = this.options.clock.now();
  }

  get lastInboundAt(): number | undefined {
    return this.lastAt;
  }

  ageMs(): number | undefined {
    return this.lastAt === undefined ? undefined : Math.max(0, this.options.clock.now() - this.lastAt);
  }

  /** True while armed and the newest frame is older than `staleAfterMs`. */
  isStale(): boolean {
    const age = this.ageMs();
    return this.armed && age !== undefined && age > this.options.staleAfterMs;
  }

  /** Judges the age now; returns true (and calls `onStale`, once) when the connection is stale. */
  check(): boolean {
    if (!this.isStale()) return false;
    const age = this.ageMs() ?? 0;
    this.disarm();
    this.options.onStale(age);
    return true;
  }
}
