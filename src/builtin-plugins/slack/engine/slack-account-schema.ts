/**
 * One Slack account, `channels.slack.accounts.<name>` (JSON Schema draft 2020-12). The plugin's
 * manifest carries it under `$defs/account` (a test checks they match). Defaults fail closed: unknown DM senders
 * must pair, and groups are served only from the allowlist.
 */
export const SLACK_ACCOUNT_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  description: 'One Slack app in Socket Mode: its bot token, its app-level token, and who may talk to it.',
  type: 'object',
  additionalProperties: false,
  required: ['bot_token', 'app_token'],
  properties: {
    bot_token: {
      description: 'The Bot User OAuth Token (xoxb-…) from OAuth & Permissions. Give it as ${SLACK_BOT_TOKEN} rather than inline.',
      type: 'string',
      minLength: 1,
      writeOnly: true,
    },
    app_token: {
      description: 'The app-level token (xapp-…) with the connections:write scope, from Basic Information → App-Level Tokens. Give it as ${SLACK_APP_TOKEN}.',
      type: 'string',
      minLength: 1,
      writeOnly: true,
    },
    api_base_url: {
      description: 'The Web API base URL, for Slack GovSlack, an enterprise proxy or a local fake.',
      type: 'string',
      format: 'uri',
      pattern: '^https?://',
      default: 'https://slack.com/api/',
    },
    dm_policy: {
      description: 'Direct messages: pairing (an unknown sender gets a one-time code the operator approves), allowlist (only allow_from), open (anyone; needs allow_from ["*"]) or disabled.',
      enum: ['pairing', 'allowlist', 'open', 'disabled'],
      default: 'pairing',
    },
    group_policy: {
      description: 'Channels and group DMs: allowlist (only senders in allow_from), open (anyone in a channel the bot is in) or disabled.',
      enum: ['allowlist', 'open', 'disabled'],
      default: 'allowlist',
    },
    allow_from: {
      description: 'Slack user ids (U…) allowed to talk to the bot, or ["*"] for everyone.',
      type: 'array',
      items: { type: 'string', pattern: '^(\\*|[UW][A-Z0-9]{2,})$' },
      uniqueItems: true,
      default: [],
    },
    group_allow_from: {
      description: 'Per-channel sender allowlists: a channel id (C…, G…) mapped to the Slack user ids allowed there. In a channel listed here only those senders pass, whatever group_policy and allow_from say (group_policy: disabled still refuses every channel).',
      type: 'object',
      propertyNames: { pattern: '^[CG][A-Z0-9]{2,}$' },
      additionalProperties: { type: 'array', items: { type: 'string', pattern: '^(\\*|[UW][A-Z0-9]{2,})$' }, uniqueItems: true },
      default: {},
    },
    require_mention: {
      description: 'In channels, answer only messages that mention the bot (or continue a thread it is in).',
      type: 'boolean',
      default: true,
    },
    max_attachment_bytes: {
      description: 'Files larger than this are not downloaded; the message says which were skipped.',
      type: 'integer',
      minimum: 0,
      maximum: 1_073_741_824,
      default: 10_485_760,
    },
  },
} as const;
