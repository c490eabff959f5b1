/**
 * The JSON Schema (draft 2020-12) of one account, `channels.telegram.accounts.<name>`. Phase 2
 * puts it into the plugin manifest's `configSections`; the kernel validates with it and applies
 * its defaults. The defaults fail closed: unknown DM senders must pair, groups must be listed,
 * and group messages must mention the bot. Secrets are `writeOnly`, so they never appear in
 * validation errors or logs, and may be given as `${VAR}` (interpolated before validation).
 */
export const TELEGRAM_ACCOUNT_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  description: 'One Telegram bot. Create it with @BotFather and paste its token, preferably as ${TELEGRAM_BOT_TOKEN}.',
  type: 'object',
  additionalProperties: false,
  required: ['bot_token'],
  properties: {
    bot_token: {
      description: 'The token @BotFather gave, "<bot id>:<secret>". Give it through the environment: bot_token: ${TELEGRAM_BOT_TOKEN}.',
      type: 'string',
      pattern: '^[0-9]{1,20}:[A-Za-z0-9_-]{20,}$',
      writeOnly: true,
    },
    api_base_url: {
      description: 'The Bot API server: a self-hosted telegram-bot-api, a proxy, or a local fake in tests. No trailing slash.',
      type: 'string',
      format: 'uri',
      pattern: '^https?://[^?#]*[^/?#]$',
      default: 'https://api.telegram.org',
    },
    mode: {
      description: 'How updates arrive: long polling (works behind NAT, the default) or a webhook Telegram POSTs to (needs a public HTTPS URL).',
      enum: ['polling', 'webhook'],
      default: 'polling',
    },
    webhook_url: {
      description: 'Webhook mode: the public HTTPS URL Telegram posts updates to; it must reach this gateway at /channels/telegram/<account>. Plain http:// only on loopback, for a self-hosted Bot API server on the same host.',
      type: 'string',
      format: 'uri',
      pattern: '^(https://|http://(127\\.0\\.0\\.1|localhost|\\[::1\\])(:[0-9]{1,5})?/)',
    },
    webhook_secret: {
      description: 'Webhook mode: Telegram sends it in X-Telegram-Bot-Api-Secret-Token with every update, and requests without it are refused. 1-256 of A-Z, a-z, 0-9, _ and -; generate one with `openssl rand -hex 32`.',
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,256}$',
      writeOnly: true,
    },
    dm_policy: {
      description: 'Direct messages: pairing (unknown senders get a code for the operator to approve), allowlist (only allow_from), open (anyone; needs "*" in allow_from) or disabled.',
      enum: ['pairing', 'allowlist', 'open', 'disabled'],
      default: 'pairing',
    },
    group_policy: {
      description: 'Groups: allowlist (groups or senders in allow_from), open (any group the bot is in) or disabled.',
      enum: ['allowlist', 'open', 'disabled'],
      default: 'allowlist',
    },
    allow_from: {
      description: 'Telegram user ids allowed to talk to the bot, group ids (negative) whose members may, or "*" for everyone.',
      type: 'array',
      items: { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^(\\*|-?[0-9]{1,20})$' }] },
      uniqueItems: true,
      default: [],
    },
    group_allow_from: {
      description: 'Per-group sender allowlists: a group id (negative, as text) mapped to the Telegram user ids allowed there. In a group listed here only those senders pass, whatever group_policy and allow_from say (group_policy: disabled still refuses every group); a forum\'s topics share their group\'s list.',
      type: 'object',
      propertyNames: { pattern: '^-?[0-9]{1,20}$' },
      additionalProperties: { type: 'array', items: { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^(\\*|-?[0-9]{1,20})$' }] }, uniqueItems: true },
      default: {},
    },
    require_mention: {
      description: 'In groups, answer only messages that mention the bot (@username) or reply to it.',
      type: 'boolean',
      default: true,
    },
    max_attachment_bytes: {
      description: 'The largest attachment downloaded and handed to the agent; larger ones are reported in the message metadata instead. The Bot API serves at most 20 MB.',
      type: 'integer',
      minimum: 0,
      maximum: 20971520,
      default: 10485760,
    },
  },
  allOf: [
    {
      if: { properties: { mode: { const: 'webhook' } }, required: ['mode'] },
      then: { required: ['webhook_url', 'webhook_secret'] },
    },
    {
      if: { properties: { dm_policy: { const: 'open' } }, required: ['dm_policy'] },
      then: { properties: { allow_from: { contains: { const: '*' } } }, required: ['allow_from'] },
    },
  ],
} as const;
