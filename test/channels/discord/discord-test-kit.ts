import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach } from 'vitest';
import type { InboundMessage } from '@nexus/plugin-sdk';
import { MemoryLogger } from '@nexus/plugin-sdk/testing';
import { DiscordAccount, discordAccountSettings, type DiscordAccountOptions, type DiscordAccountSettings } from '../../../src/builtin-plugins/discord/engine/index.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from '../../fixtures/platforms/discord/index.js';
import { eventually } from '../../fixtures/platforms/shared/index.js';
import { manualClock, recordingWait, type ManualClock } from '../channel-test-kit.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export interface DiscordSetup {
  readonly discord: FakeDiscord;
  readonly account: DiscordAccount;
  readonly received: InboundMessage[];
  readonly waits: number[];
  readonly clock: ManualClock;
  readonly logger: MemoryLogger;
}

/** Short timings for tests; staleness is judged on the manual clock, so it never trips by itself. */
export const TEST_TIMING = {
  staleAfterMs: 105_000,
  checkEveryMs: 60_000,
  helloTimeoutMs: 5_000,
  readyTimeoutMs: 5_000,
  handshakeTimeoutMs: 5_000,
  closeGraceMs: 100,
};

/** Does not make IDENTIFYs wait Discord's 5 s apart, which tests would otherwise sit through. */
export const noIdentifyWait = { waitForIdentify: async () => undefined };

/** A wait that records and really sleeps (for REST rate limits, whose buckets run on real time). */
export function sleepingWait(): { readonly waits: number[]; readonly wait: (ms: number, signal: AbortSignal) => Promise<void> } {
  const waits: number[] = [];
  return { waits, wait: async (ms, signal) => void (waits.push(ms), await sleep(ms, undefined, { signal })) };
}

/**
 * A fake Discord and an account engine pointed at it, with a handler collecting messages; the
 * engine is started (and connected, unless `connect` is false) and stopped after the test.
 * HELLO announces a 60 s heartbeat unless the fake's options say otherwise, so no heartbeat
 * logic runs unless a test wants it.
 */
export async function startDiscord(
  options: { readonly fake?: FakeDiscordOptions; readonly settings?: Partial<DiscordAccountSettings>; readonly engine?: Partial<DiscordAccountOptions>; readonly connect?: boolean } = {},
): Promise<DiscordSetup> {
  const discord = await startFakeDiscord({ heartbeatIntervalMs: 60_000, ...options.fake });
  cleanups.push(() => discord.close());
  const clock = manualClock();
  const logger = new MemoryLogger();
  const { waits, wait } = recordingWait();
  const account = new DiscordAccount({
    accountId: 'main',
    settings: discordAccountSettings({ bot_token: discord.token, api_base_url: discord.apiUrl, ...options.settings }),
    clock,
    logger,
    wait,
    random: () => 0.5,
    timing: TEST_TIMING,
    restRetries: 0,
    restTimeoutMs: 5_000,
    identifyThrottler: noIdentifyWait,
    ...options.engine,
  });
  cleanups.push(() => account.stop());
  const received: InboundMessage[] = [];
  account.onMessage(async (message) => void received.push(message));
  await account.start();
  if (options.connect !== false) await sessions(account, 1);
  return { discord, account, received, waits, clock, logger };
}

/** Waits until the account has started (`identified`) and continued (`resumed`) that many sessions and is connected. */
export function sessions(account: DiscordAccount, identified: number, resumed = 0): Promise<unknown> {
  return eventually(() => {
    const status = account.status();
    return status.state === 'connected' && status.identified >= identified && status.resumed >= resumed;
  }, `the Discord account has identified ${identified} and resumed ${resumed} time(s)`);
}
