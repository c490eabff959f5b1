import { resolve } from 'node:path';
import type { ConfigAccess } from '@nexus/plugin-sdk';

export interface WebhookAccount {
  /** HMAC-SHA256 key for both directions; without one, the account refuses every request. */
  readonly secret?: string;
  /** Where replies are POSTed; without one, replies for the account cannot be delivered. */
  readonly callback_url?: string;
}

/** `channels.webhook`, validated by this plugin's section schema, defaults applied. */
export interface WebhookSettings {
  readonly accounts: Readonly<Record<string, WebhookAccount>>;
  readonly max_skew_seconds: number;
  readonly callback_timeout_ms: number;
  readonly retry: { readonly attempts: number; readonly initial_delay_ms: number; readonly max_delay_ms: number };
  readonly dead_letter_file: string;
  /** How long a message_id is remembered: a message sent again within it runs no second turn. */
  readonly dedup_window_seconds: number;
}

const DEFAULTS: WebhookSettings = {
  accounts: {},
  max_skew_seconds: 300,
  callback_timeout_ms: 10_000,
  retry: { attempts: 5, initial_delay_ms: 500, max_delay_ms: 30_000 },
  dead_letter_file: 'webhook-dead-letters.jsonl',
  dedup_window_seconds: 86_400,
};

export function readWebhookSettings(config: ConfigAccess): WebhookSettings {
  // The kernel applies this plugin's schema defaults; the spread covers a host that did not.
  const section = config.section<Record<string, Partial<WebhookSettings>>>('channels')?.webhook ?? {};
  return { ...DEFAULTS, ...section, retry: { ...DEFAULTS.retry, ...section.retry } };
}

/** A relative dead-letter file lives in the host's data folder, `<home>/data`, with the other state. */
export function deadLetterPath(settings: WebhookSettings, home: string): string {
  return resolve(home, 'data', settings.dead_letter_file);
}
