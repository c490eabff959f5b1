import { createToken } from './tokens.js';

/** Time source. Inject it instead of calling `Date.now()` so tests can control time. */
export interface Clock {
  /** Milliseconds since the epoch, UTC. */
  now(): number;
}

export const ClockToken = createToken<Clock>('nexus.clock');
