import type { ConfigFromSchema, ConfigSchema } from '@nexus/plugin-sdk';

/**
 * The `channels.webhook` section schema of this plugin's manifest, as a literal the compiler reads
 * (test/builtin-plugins/webhook/webhook-settings.test.ts keeps the two equal): the settings type below follows from it.
 */
export const webhookSettingsSchema = {
  description: 'The webhook channel: integrators POST signed messages in and receive signed replies at a callback URL.',
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    accounts: {
      description: 'One entry per integrator, keyed by the account id used in the path /channels/webhook/<account>.',
      type: 'object',
      default: {},
      propertyNames: {
        pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$',
      },
      additionalProperties: {
        $ref: '#/$defs/account',
      },
    },
    max_skew_seconds: {
      description: "How far a request's x-nexus-timestamp may be from the server's clock; older (or newer) requests are refused, and a request seen within this window is refused as a replay.",
      type: 'integer',
      minimum: 1,
      maximum: 3600,
      default: 300,
    },
    callback_timeout_ms: {
      description: 'How long one delivery attempt to a callback URL may take.',
      type: 'integer',
      minimum: 100,
      maximum: 120000,
      default: 10000,
    },
    retry: {
      description: 'Retries for replies whose callback is unreachable or answers 408, 425, 429 or 5xx. The delay doubles after each attempt, up to max_delay_ms; a Retry-After answer is honoured within that cap.',
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        attempts: {
          description: 'Delivery attempts in all, the first included.',
          type: 'integer',
          minimum: 1,
          maximum: 20,
          default: 5,
        },
        initial_delay_ms: {
          description: 'Delay before the second attempt.',
          type: 'integer',
          minimum: 0,
          maximum: 600000,
          default: 500,
        },
        max_delay_ms: {
          description: 'Longest delay between two attempts.',
          type: 'integer',
          minimum: 0,
          maximum: 3600000,
          default: 30000,
        },
      },
    },
    dedup_window_seconds: {
      description: "How long a message_id is remembered, in the database (so across restarts): a message sent again with the same message_id within this window runs no second turn and is answered 200 with the first delivery's message_id. Messages without a message_id are never de-duplicated.",
      type: 'integer',
      minimum: 60,
      maximum: 2592000,
      default: 86400,
    },
    dead_letter_file: {
      description: 'Where replies that could not be delivered are appended, one JSON object per line (mode 0600). A relative path resolves against $NEXUS_HOME/data.',
      type: 'string',
      minLength: 1,
      default: 'webhook-dead-letters.jsonl',
    },
  },
  $defs: {
    account: {
      description: 'One integrator.',
      type: 'object',
      additionalProperties: false,
      properties: {
        secret: {
          description: 'HMAC-SHA256 key for requests in and replies out; at least 32 bytes. Without it the account refuses every request.',
          type: 'string',
          minLength: 1,
          writeOnly: true,
        },
        callback_url: {
          description: 'Where replies are POSTed. Use https:// unless it is on loopback.',
          type: 'string',
          format: 'uri',
          pattern: '^https?://',
        },
      },
    },
  },
} as const satisfies ConfigSchema;

/** `channels.webhook`, validated by the section schema, defaults applied. */
export type WebhookSettings = ConfigFromSchema<typeof webhookSettingsSchema>;

/** One integrator: without a secret it refuses every request; without a callback its replies cannot be delivered. */
export type WebhookAccount = WebhookSettings['accounts'][string];
