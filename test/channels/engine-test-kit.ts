import { afterEach } from 'vitest';
import type { InboundMessage } from '@nexus/plugin-sdk';
import { MemoryLogger } from '@nexus/plugin-sdk/testing';
import type { Wait } from '@nexus/plugin-sdk/channel';
import { manualClock, recordingWait, type ManualClock } from './channel-test-kit.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Runs `cleanup` after the current test, the last registered first. */
export function afterThisTest(cleanup: () => Promise<unknown>): void {
  cleanups.push(cleanup);
}

/** What an account engine under test is given and what it handed on. */
export interface EngineHarness {
  /** Staleness is judged on it, so it never trips by itself. */
  readonly clock: ManualClock;
  readonly logger: MemoryLogger;
  /** The backoff and retry-after waits asked for, which return at once. */
  readonly waits: number[];
  readonly wait: Wait;
  readonly received: InboundMessage[];
}

export function engineHarness(): EngineHarness {
  return { clock: manualClock(), logger: new MemoryLogger(), ...recordingWait(), received: [] };
}

/** Collects the engine's messages into `harness.received` and starts it; it is stopped after the test. */
export async function startEngine(engine: { onMessage(handler: (message: InboundMessage) => Promise<void>): unknown; start(): Promise<void>; stop(): Promise<unknown> }, harness: EngineHarness): Promise<void> {
  afterThisTest(() => engine.stop());
  engine.onMessage(async (message) => void harness.received.push(message));
  await engine.start();
}
