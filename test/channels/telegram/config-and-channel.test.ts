import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterEach, describe, expect, it } from 'vitest';
import { readTelegramAccount, TELEGRAM_ACCOUNT_SCHEMA, TelegramChannel, TelegramConfigError } from '../../../src/builtin-plugins/telegram/engine.js';
import { eventually, MapOffsetStore, startTelegramTest, type TelegramTest, TEST_TUNING } from './telegram-test-kit.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

function validate(account: Record<string, unknown>) {
  const ajv = new Ajv2020({ allErrors: true, strict: false, useDefaults: true });
  addFormats(ajv);
  const check = ajv.compile(TELEGRAM_ACCOUNT_SCHEMA);
  const value = structuredClone(account);
  const valid = check(value);
  return { valid, value, errors: (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`) };
}

describe('the Telegram account schema', () => {
  it('fills in defaults that fail closed', () => {
    const { valid, value } = validate({ bot_token: TOKEN });
    expect(valid).toBe(true);
    expect(value).toEqual({ bot_token: TOKEN, api_base_url: 'https://api.telegram.org', mode: 'polling', dm_policy: 'pairing', group_policy: 'allowlist', allow_from: [], group_allow_from: {}, require_mention: true, max_attachment_bytes: 10485760 });
  });

  it('takes per-group allowlists keyed by group id, and refuses a key that is not one', () => {
    expect(validate({ bot_token: TOKEN, group_allow_from: { '-1001234567890': [42, '43'] } }).valid).toBe(true);
    expect(validate({ bot_token: TOKEN, group_allow_from: { team: [42] } }).valid).toBe(false);
  });

  it('marks the secrets writeOnly', () => {
    expect(TELEGRAM_ACCOUNT_SCHEMA.properties.bot_token.writeOnly).toBe(true);
    expect(TELEGRAM_ACCOUNT_SCHEMA.properties.webhook_secret.writeOnly).toBe(true);
  });

  it('requires the URL and the secret in webhook mode, and "*" for open DMs', () => {
    expect(validate({ bot_token: TOKEN, mode: 'webhook' }).errors).toEqual(expect.arrayContaining(["/ must have required property 'webhook_url'", "/ must have required property 'webhook_secret'"]));
    expect(validate({ bot_token: TOKEN, mode: 'webhook', webhook_url: 'https://bot.example/channels/telegram/main', webhook_secret: 'abc_DEF-123' }).valid).toBe(true);
    expect(validate({ bot_token: TOKEN, dm_policy: 'open', allow_from: [42] }).valid).toBe(false);
    expect(validate({ bot_token: TOKEN, dm_policy: 'open', allow_from: ['*'] }).valid).toBe(true);
  });

  it('refuses unknown keys, a token of the wrong shape, a plain-HTTP webhook and a trailing slash on the API URL', () => {
    expect(validate({ bot_token: TOKEN, token: 'x' }).errors).toContain('/ must NOT have additional properties');
    expect(validate({ bot_token: 'not-a-token' }).errors[0]).toMatch(/^\/bot_token must match pattern/);
    expect(validate({ bot_token: TOKEN, mode: 'webhook', webhook_url: 'http://bot.example/hook', webhook_secret: 's' }).errors[0]).toMatch(/^\/webhook_url must match pattern/);
    expect(validate({ bot_token: TOKEN, api_base_url: 'http://localhost:8081/' }).errors[0]).toMatch(/^\/api_base_url must match pattern/);
  });
});

describe('readTelegramAccount', () => {
  it('normalises numeric ids to strings and trims the API URL', () => {
    expect(readTelegramAccount('main', { bot_token: TOKEN, allow_from: [42, '-100123', '*'], api_base_url: 'http://localhost:8081/' })).toMatchObject({ allow_from: ['42', '-100123', '*'], api_base_url: 'http://localhost:8081' });
  });

  it('names the key at fault and how to fix it', () => {
    expect(() => readTelegramAccount('main', {})).toThrow(new TelegramConfigError('channels.telegram.accounts.main.bot_token', 'is required: the token @BotFather gave, for example bot_token: ${TELEGRAM_BOT_TOKEN}'));
    expect(() => readTelegramAccount('main', { bot_token: 'abc' })).toThrow('channels.telegram.accounts.main.bot_token: does not look like a bot token ("<bot id>:<secret>"); copy it again from @BotFather (/token)');
    expect(() => readTelegramAccount('main', { bot_token: TOKEN, mode: 'webhook', webhook_url: 'https://x.example/h' })).toThrow(/channels\.telegram\.accounts\.main\.webhook_secret: is required in webhook mode/);
    expect(() => readTelegramAccount('main', { bot_token: TOKEN, mode: 'push' })).toThrow('channels.telegram.accounts.main.mode: must be polling or webhook, got "push"');
  });
});

describe('TelegramChannel', () => {
  let t: TelegramTest;
  afterEach(() => t.close());

  it('runs each configured account and routes replies by account', async () => {
    t = await startTelegramTest();
    const second = t.fake.addBot({ username: 'second_bot' });
    const channel = new TelegramChannel({
      section: { accounts: { main: { bot_token: t.bot.token, api_base_url: t.fake.apiRoot }, support: { bot_token: second.token, api_base_url: t.fake.apiRoot } } },
      pollers: t.pollers,
      offsets: new MapOffsetStore(),
      timers: t.timers,
      logger: t.logger,
      tuning: TEST_TUNING,
    });
    const received: string[] = [];
    channel.onMessage(async (m) => {
      received.push(`${m.accountId}: ${m.content}`);
      await channel.send({ channel: 'telegram', accountId: m.accountId, target: channel.conversationId(m), content: `echo ${m.content}` }, { signal: new AbortController().signal });
    });
    await channel.start(new AbortController().signal);
    const alice = t.fake.user('Alice');
    const chat = t.fake.privateChat(alice);
    t.fake.userSays(t.bot, { chat, from: alice, text: 'to main' });
    t.fake.userSays(second, { chat, from: alice, text: 'to support' });
    await eventually(() => expect(received.sort()).toEqual(['main: to main', 'support: to support']));
    await eventually(() => expect(t.fake.sent.map((s) => `${s.botId === second.user.id ? 'support' : 'main'}: ${s.text}`).sort()).toEqual(['main: echo to main', 'support: echo to support']));
    await eventually(() => expect(channel.status()).toMatchObject({ connected: true }));
    expect(channel.accountStatuses().map((s) => s.accountId)).toEqual(['main', 'support']);
    await channel.stop();
    expect(channel.status()).toMatchObject({ connected: false, error: 'main: stopped; support: stopped' });
  });

  it('starts the accounts that can start, and names the one that cannot', async () => {
    t = await startTelegramTest();
    const channel = new TelegramChannel({
      section: { accounts: { main: { bot_token: t.bot.token, api_base_url: t.fake.apiRoot }, broken: { bot_token: '42:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', api_base_url: t.fake.apiRoot } } },
      pollers: t.pollers,
      offsets: new MapOffsetStore(),
      timers: t.timers,
      logger: t.logger,
      tuning: TEST_TUNING,
    });
    await channel.start(new AbortController().signal);
    await eventually(() => expect(channel.account('main').status().healthy).toBe(true));
    expect(channel.status().error).toBe('broken: Telegram rejected the bot token of account broken (401 Unauthorized): it is wrong or was revoked. Get the current token from @BotFather (/token) and set channels.telegram.accounts.broken.bot_token');
    await channel.stop();
  });

  it('refuses a section without accounts, and a reply for an account it does not have', async () => {
    t = await startTelegramTest();
    const deps = { pollers: t.pollers, offsets: new MapOffsetStore(), timers: t.timers, logger: t.logger };
    expect(() => new TelegramChannel({ ...deps, section: {} })).toThrow('channels.telegram.accounts: must be a mapping of account names to accounts, each with at least bot_token');
    const channel = new TelegramChannel({ ...deps, section: { accounts: { main: { bot_token: t.bot.token, api_base_url: t.fake.apiRoot } } } });
    expect(() => channel.send({ channel: 'telegram', accountId: 'nope', target: '1', content: 'x' }, { signal: new AbortController().signal })).toThrow('there is no Telegram account "nope" (channels.telegram.accounts has main)');
  });
});
