import { describe, expect, it } from 'vitest';
import { DoctorChecks } from '@nexus/plugin-sdk';
import { startFake, startTelegram } from './telegram-plugin-kit.js';

describe('Telegram doctor checks', () => {
  it('telegram-policy warns about open DMs and groups without a mention gate, and is quiet about the defaults', async () => {
    const { fake, bot } = await startFake();
    const loose = await startTelegram(fake, bot, { account: { dm_policy: 'open', allow_from: ['*'], group_policy: 'open', require_mention: false }, start: false });
    const findings = await (await loose.kernel.contributions.get(DoctorChecks, 'telegram-policy')).run({ signal: AbortSignal.timeout(10_000), probe: false });
    expect(findings.map((f) => [f.level, f.message])).toEqual([
      ['warning', 'channels.telegram.accounts.main: dm_policy is open: anyone who finds the bot can run the agent'],
      ['warning', 'channels.telegram.accounts.main: group_policy is open with require_mention: false, so the agent answers every group message it sees'],
    ]);

    const strict = await startTelegram(fake, bot, { account: { allow_from: [42] }, start: false });
    const quiet = await (await strict.kernel.contributions.get(DoctorChecks, 'telegram-policy')).run({ signal: AbortSignal.timeout(10_000), probe: false });
    expect(quiet).toEqual([{ level: 'info', message: '1 account(s): DMs need pairing or an allowlist, groups are listed and need a mention' }]);
  });

  it('telegram-probe calls getMe only with --probe, and reports a rejected token as an error', async () => {
    const { fake, bot } = await startFake();
    const setup = await startTelegram(fake, bot, { start: false });
    const probe = await setup.kernel.contributions.get(DoctorChecks, 'telegram-probe');
    expect(await probe.run({ signal: AbortSignal.timeout(10_000), probe: false })).toEqual([{ level: 'info', message: "1 Telegram account(s) configured; run `nexus doctor --probe` to call getMe for each" }]);
    expect(fake.callsOf('getMe')).toEqual([]);
    const [healthy] = await probe.run({ signal: AbortSignal.timeout(10_000), probe: true });
    expect(healthy).toMatchObject({ level: 'info', message: expect.stringMatching(/^main: @nexus_helper_bot answered getMe in \d+ ms$/) });
    fake.revokeToken(bot);
    const [rejected] = await probe.run({ signal: AbortSignal.timeout(10_000), probe: true });
    expect(rejected).toMatchObject({ level: 'error', message: expect.stringContaining('main: Telegram rejected the bot token of account main (401 Unauthorized)') });
  });
});
