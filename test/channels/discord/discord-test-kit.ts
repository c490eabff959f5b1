import { setTimeout as sleep } from 'node:timers/promises';
import { DiscordAccount, discordAccountSettings, type DiscordAccountOptions, type DiscordAccountSettings } from '../../../src/builtin-plugins/discord/engine/index.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from '../../fixtures/platforms/discord/index.js';
import { eventually } from '../../fixtures/platforms/shared/index.js';
import { afterThisTest, engineHarness, startEngine, type EngineHarness } from '../engine-test-kit.js';

export interface DiscordSetup extends EngineHarness {
  readonly discord: FakeDiscord;
  readonly account: DiscordAccount;
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
  afterThisTest(() => discord.close());
  const harness = engineHarness();
  const account = new DiscordAccount({
    accountId: 'main',
    settings: discordAccountSettings({ bot_token: discord.token, api_base_url: discord.apiUrl, ...options.settings }),
    clock: harness.clock,
    logger: harness.logger,
    wait: harness.wait,
    random: () => 0.5,
    timing: TEST_TIMING,
    restRetries: 0,
    restTimeoutMs: 5_000,
    identifyThrottler: noIdentifyWait,
    ...options.engine,
  });
  await startEngine(account, harness);
  if (options.connect !== false) await sessions(account, 1);
  return { discord, account, ...harness };
}

/** Waits until the account has started (`identified`) and continued (`resumed`) that many sessions and is connected. */
export function sessions(account: DiscordAccount, identified: number, resumed = 0): Promise<unknown> {
  return eventually(() => {
    const status = account.status();
    return status.state === 'connected' && status.identified >= identified && status.resumed >= resumed;
  }, `the Discord account has identified ${identified} and resumed ${resumed} time(s)`);
}
