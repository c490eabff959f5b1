import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DoctorChecks } from '@nexus/plugin-sdk';
import { tempDir, writeFile } from '../../helpers/fixtures.js';
import { channelsKernel } from './channels-test-kit.js';

async function findings(accounts: Record<string, Record<string, unknown>>, file?: string) {
  const configPath = file === undefined ? undefined : writeFile(join(tempDir('nexus-policy-'), 'nexus.yaml'), file);
  const { kernel } = channelsKernel({ platform: 'http://127.0.0.1:9', accounts, ...(configPath ? { configPath } : {}) });
  const check = await kernel.contributions.get(DoctorChecks, 'channels-policy');
  return check.run({ signal: AbortSignal.timeout(10_000), probe: false });
}

describe('the channels-policy doctor check', () => {
  it('warns on open DMs, on groups with no mention gate, and on allowlists that are empty under allowlist', async () => {
    const result = await findings({
      open: { bot_token: '${T}', api_base_url: 'http://x', dm_policy: 'open', allow_from: ['*'], group_policy: 'disabled' },
      loud: { bot_token: '${T}', api_base_url: 'http://x', dm_policy: 'pairing', group_policy: 'open', require_mention: false },
      empty: { bot_token: '${T}', api_base_url: 'http://x', dm_policy: 'allowlist', allow_from: [], group_policy: 'disabled' },
    });
    expect(result).toEqual([
      { level: 'warning', message: 'channels.relay.accounts.empty: dm_policy is allowlist but allow_from is empty, so every DM is refused', hint: 'list the sender ids in allow_from' },
      { level: 'warning', message: 'channels.relay.accounts.loud: group_policy is open with require_mention: false, so the agent answers every group message it sees', hint: 'set require_mention: true' },
      { level: 'warning', message: 'channels.relay.accounts.open: dm_policy is open: anyone who finds the bot can run the agent', hint: 'use dm_policy: pairing and approve people with `nexus channels pair approve`' },
    ]);
  });

  it('warns on a token written into the config file, not on one taken from the environment, and never prints it', async () => {
    const file = [
      'channels:',
      '  relay:',
      '    accounts:',
      '      inline:',
      '        bot_token: "123456:SECRET-TOKEN-VALUE"',
      '        api_base_url: http://x',
      '        group_policy: disabled',
      '      fromenv:',
      '        bot_token: ${RELAY_TOKEN}',
      '        api_base_url: http://x',
      '        group_policy: disabled',
      '',
    ].join('\n');
    const result = await findings(
      {
        inline: { bot_token: '123456:SECRET-TOKEN-VALUE', api_base_url: 'http://x', group_policy: 'disabled' },
        fromenv: { bot_token: 'from-the-environment', api_base_url: 'http://x', group_policy: 'disabled' },
      },
      file,
    );
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ level: 'warning', message: expect.stringMatching(/^channels\.relay\.accounts\.inline\.bot_token is written into .*nexus\.yaml: anyone who can read the file/), hint: 'set it from the environment: bot_token: ${RELAY_INLINE_BOT_TOKEN}' });
    expect(JSON.stringify(result)).not.toContain('SECRET-TOKEN-VALUE');
  });

  it('says all is well when policies fail closed and credentials come from the environment', async () => {
    const result = await findings({ main: { bot_token: 'x', api_base_url: 'http://x', allow_from: ['42'], group_policy: 'allowlist' } });
    expect(result).toEqual([{ level: 'info', message: '1 channel account(s): policies fail closed, credentials come from the environment' }]);
  });
});
