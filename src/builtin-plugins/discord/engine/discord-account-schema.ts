/**
 * One Discord account, `channels.discord.accounts.<name>` (JSON Schema draft 2020-12). The plugin's
 * manifest carries it under `$defs/account` (a test checks they match). Defaults fail closed: unknown DM
 * senders must pair, and servers are served only from the allowlist.
 */
export const DISCORD_ACCOUNT_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  description: 'One Discord bot: its token, and who may talk to it.',
  type: 'object',
  additionalProperties: false,
  required: ['bot_token'],
  properties: {
    bot_token: {
      description: 'The bot token from the Developer Portal (Bot → Reset Token), without a "Bot " prefix. Give it as ${DISCORD_BOT_TOKEN} rather than inline.',
      type: 'string',
      minLength: 1,
      writeOnly: true,
    },
    api_base_url: {
      description: 'The REST API base URL without the version (the gateway URL comes from GET /gateway/bot), for a proxy or a local fake.',
      type: 'string',
      format: 'uri',
      pattern: '^https?://',
      default: 'https://discord.com/api',
    },
    dm_policy: {
      description: 'Direct messages: pairing (an unknown sender gets a one-time code the operator approves), allowlist (only allow_from), open (anyone; needs allow_from ["*"]) or disabled.',
      enum: ['pairing', 'allowlist', 'open', 'disabled'],
      default: 'pairing',
    },
    group_policy: {
      description: 'Server channels and threads: allowlist (only senders in allow_from), open (anyone in a channel the bot can read) or disabled.',
      enum: ['allowlist', 'open', 'disabled'],
      default: 'allowlist',
    },
    allow_from: {
      description: 'Discord user ids (snowflakes) allowed to talk to the bot, or ["*"] for everyone.',
      type: 'array',
      items: { type: 'string', pattern: '^(\\*|[0-9]{15,21})$' },
      uniqueItems: true,
      default: [],
    },
    group_allow_from: {
      description: 'Per-channel sender allowlists: a server channel id (a thread counts as its parent channel) mapped to the Discord user ids allowed there. In a channel listed here only those senders pass, whatever group_policy and allow_from say (group_policy: disabled still refuses every channel).',
      type: 'object',
      propertyNames: { pattern: '^[0-9]{15,21}$' },
      additionalProperties: { type: 'array', items: { type: 'string', pattern: '^(\\*|[0-9]{15,21})$' }, uniqueItems: true },
      default: {},
    },
    require_mention: {
      description: 'In server channels, answer only messages that mention the bot or reply to it.',
      type: 'boolean',
      default: true,
    },
    max_attachment_bytes: {
      description: 'Attachments larger than this are not downloaded; the message says which were skipped.',
      type: 'integer',
      minimum: 0,
      maximum: 524_288_000,
      default: 10_485_760,
    },
  },
} as const;
