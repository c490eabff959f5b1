import { SlackAccount, slackAccountSettings, type SlackAccountOptions, type SlackAccountSettings } from '../../../src/builtin-plugins/slack/engine/index.js';
import { startFakeSlack, type FakeSlack, type FakeSlackOptions } from '../../fixtures/platforms/slack/index.js';
import { eventually } from '../../fixtures/platforms/shared/index.js';
import { afterThisTest, engineHarness, startEngine, type EngineHarness } from '../engine-test-kit.js';

export interface SlackSetup extends EngineHarness {
  readonly slack: FakeSlack;
  readonly account: SlackAccount;
}

/** Short timings for tests; staleness is judged on the manual clock, so it never trips by itself. */
export const TEST_TIMING = {
  helloTimeoutMs: 5_000,
  staleAfterMs: 30_000,
  checkEveryMs: 60_000,
  closeGraceMs: 100,
  httpTimeoutMs: 5_000,
  clientPingTimeoutMs: 60_000,
  serverPingTimeoutMs: 120_000,
};

/**
 * A fake Slack and an account engine pointed at it, with a handler collecting messages; the
 * engine is started (and connected, unless `connect` is false) and stopped after the test.
 */
export async function startSlack(
  options: { readonly fake?: FakeSlackOptions; readonly settings?: Partial<SlackAccountSettings>; readonly engine?: Partial<SlackAccountOptions>; readonly connect?: boolean } = {},
): Promise<SlackSetup> {
  const slack = await startFakeSlack(options.fake);
  afterThisTest(() => slack.close());
  const harness = engineHarness();
  const account = new SlackAccount({
    accountId: 'main',
    settings: slackAccountSettings({ bot_token: slack.botToken, app_token: slack.appToken, api_base_url: slack.apiUrl, ...options.settings }),
    clock: harness.clock,
    logger: harness.logger,
    wait: harness.wait,
    random: () => 0.5,
    timing: TEST_TIMING,
    webRetryConfig: { retries: 0 },
    ...options.engine,
  });
  await startEngine(account, harness);
  if (options.connect !== false) await connected(account);
  return { slack, account, ...harness };
}

/** Waits until the account is connected (after `hello`) with a fresh frame. */
export function connected(account: SlackAccount, connects = 1): Promise<unknown> {
  return eventually(() => account.status().state === 'connected' && account.status().connects >= connects, `the Slack account has connected ${connects} time(s)`);
}
