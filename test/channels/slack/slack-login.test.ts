import { describe, expect, it } from 'vitest';
import { checkSlackLogin, SLACK_ACCOUNT_SCHEMA, slackAccountSettings, type SlackAccountSettings } from '../../../src/builtin-plugins/slack/engine/index.js';
import { MemoryLogger } from '@nexus/plugin-sdk/testing';
import { startFakeSlack, type FakeSlack, type FakeSlackOptions } from '../../fixtures/platforms/slack/index.js';
import { closedPort } from '../channel-test-kit.js';
import { startSlack } from './slack-test-kit.js';

async function login(slack: FakeSlack, settings: Partial<SlackAccountSettings> = {}) {
  return checkSlackLogin({
    accountId: 'main',
    settings: slackAccountSettings({ bot_token: slack.botToken, app_token: slack.appToken, api_base_url: slack.apiUrl, ...settings }),
    logger: new MemoryLogger(),
    fetch: globalThis.fetch,
    timeoutMs: 5_000,
    now: () => 0,
  });
}

async function withFake(options: FakeSlackOptions, run: (slack: FakeSlack) => Promise<void>): Promise<void> {
  const slack = await startFakeSlack(options);
  try {
    await run(slack);
  } finally {
    await slack.close();
  }
}

describe('Slack login check', () => {
  it('passes with good tokens, saying who the bot is and what it may do', async () => {
    await withFake({}, async (slack) => {
      const report = await login(slack);
      expect(report).toMatchObject({ ok: true, problems: [], warnings: [], identity: { team: 'Fake Team', teamId: slack.teamId, userId: 'UBOT', botId: 'BBOT' } });
      expect(report.identity?.scopes).toContain('chat:write');
    });
  });

  it('says the bot token was rejected, and which key holds it', async () => {
    await withFake({}, async (slack) => {
      const report = await login(slack, { bot_token: 'xoxb-revoked' });
      expect(report.ok).toBe(false);
      expect(report.problems).toEqual(['Slack rejected the bot token (invalid_auth) when calling auth.test; check channels.slack.accounts.main.bot_token']);
    });
  });

  it('names a missing chat:write as a problem and other missing scopes as what they cost', async () => {
    await withFake({ botScopes: ['channels:history', 'app_mentions:read'] }, async (slack) => {
      const report = await login(slack);
      expect(report.ok).toBe(false);
      expect(report.problems).toEqual([
        'the bot token lacks the chat:write scope, so the bot cannot reply (it has: channels:history, app_mentions:read); add chat:write under OAuth & Permissions → Bot Token Scopes and reinstall the app',
      ]);
      expect(report.warnings).toEqual([
        'the bot token lacks groups:history: messages in private channels will not arrive; add it under OAuth & Permissions → Bot Token Scopes and reinstall the app',
        'the bot token lacks im:history: direct messages will not arrive; add it under OAuth & Permissions → Bot Token Scopes and reinstall the app',
        'the bot token lacks mpim:history: group direct messages will not arrive; add it under OAuth & Permissions → Bot Token Scopes and reinstall the app',
        'the bot token lacks files:read: attached files cannot be downloaded; add it under OAuth & Permissions → Bot Token Scopes and reinstall the app',
        'the bot token lacks reactions:write: the bot cannot mark the message it is answering with ⏳ while a reply is written; add it under OAuth & Permissions → Bot Token Scopes and reinstall the app',
      ]);
    });
  });

  it('says the app-level token lacks connections:write', async () => {
    await withFake({ appScopes: ['authorizations:read'] }, async (slack) => {
      const report = await login(slack);
      expect(report.problems).toEqual([
        'the app-level token lacks the connections:write scope that apps.connections.open needs (it has: authorizations:read); add connections:write under Basic Information → App-Level Tokens (create a token with it)',
      ]);
    });
  });

  it('spots tokens in the wrong fields before calling Slack', async () => {
    await withFake({}, async (slack) => {
      const report = await login(slack, { bot_token: slack.appToken, app_token: slack.botToken });
      expect(report.problems).toEqual([
        'channels.slack.accounts.main.bot_token holds an app-level token (xapp-…); it takes the Bot User OAuth Token (xoxb-…) from OAuth & Permissions',
        'channels.slack.accounts.main.app_token holds a bot token (xoxb-…); it takes an app-level token (xapp-…) from Basic Information → App-Level Tokens',
      ]);
      expect(slack.calls).toEqual([]);
      expect(JSON.stringify(report)).not.toContain(slack.appToken);
    });
  });

  it('says a token is missing', async () => {
    await withFake({}, async (slack) => {
      const report = await login(slack, { app_token: '' });
      expect(report.problems).toEqual(['channels.slack.accounts.main.app_token is not set; it takes an app-level token (xapp-…) from Basic Information → App-Level Tokens']);
    });
  });

  it('says the API cannot be reached, with its URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/api/`;
    await withFake({}, async (slack) => {
      const report = await login(slack, { api_base_url: url });
      expect(report.problems).toEqual([
        `cannot reach the Slack API at ${url} (ECONNREFUSED); check the network and channels.slack.accounts.main.api_base_url`,
        `cannot reach the Slack API at ${url} (ECONNREFUSED); check the network and channels.slack.accounts.main.api_base_url`,
      ]);
    });
  });

  it('probes with the login check and the live connection: warnings leave it healthy, problems and a stale link do not', async () => {
    const { account, slack, clock } = await startSlack({ fake: { botScopes: ['chat:write'] } });
    const probe = await account.probe();
    expect(probe.healthy).toBe(true);
    expect(probe.message).toMatch(/^slack\/main: connected, last frame 0 ms ago; the bot token lacks app_mentions:read/);

    slack.setBotScopes(['channels:history']);
    const broken = await account.probe();
    expect(broken.healthy).toBe(false);
    expect(broken.message).toContain('the bot token lacks the chat:write scope, so the bot cannot reply');

    slack.setBotScopes(['chat:write', 'app_mentions:read', 'channels:history', 'groups:history', 'im:history', 'mpim:history', 'files:read', 'reactions:write']);
    expect(await account.probe()).toMatchObject({ healthy: true, message: 'slack/main: connected, last frame 0 ms ago' });
    clock.advance(60_000);
    expect(await account.probe()).toMatchObject({ healthy: false, message: 'slack/main: connected but silent for 60000 ms (a half-open link; it is being replaced)' });
  });

  it('describes each account with a schema whose defaults fail closed and whose tokens are secrets', () => {
    const { properties } = SLACK_ACCOUNT_SCHEMA;
    expect(properties.bot_token.writeOnly).toBe(true);
    expect(properties.app_token.writeOnly).toBe(true);
    expect(properties.dm_policy.default).toBe('pairing');
    expect(properties.group_policy.default).toBe('allowlist');
    expect(properties.require_mention.default).toBe(true);
    expect(Object.keys(properties).sort()).toEqual(['allow_from', 'api_base_url', 'app_token', 'bot_token', 'dm_policy', 'group_allow_from', 'group_policy', 'max_attachment_bytes', 'require_mention']);
  });
});
