import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '@nexus/plugin-sdk';

/** A clock that moves only when the test says so. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
}

export function manualClock(start = 1_750_000_000_000): ManualClock {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms) };
}

/**
 * A wait for backoff and retry-after that records what it was asked to wait and returns at
 * once (after yielding, so a reconnect loop cannot starve the sockets it waits on).
 */
export function recordingWait(): { readonly waits: number[]; readonly wait: (ms: number, signal: AbortSignal) => Promise<void> } {
  const waits: number[] = [];
  return {
    waits,
    wait: async (ms, signal) => {
      waits.push(ms);
      signal.throwIfAborted();
      await sleep(1, undefined, { signal });
    },
  };
}

/** A loopback port nothing listens on (fetch refuses port 1 and other "bad ports" outright). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
