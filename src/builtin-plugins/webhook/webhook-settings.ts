import { resolve } from 'node:path';
import type { ConfigAccess } from '@nexus/plugin-sdk';
import type { WebhookSettings } from './webhook-settings-schema.js';

export type { WebhookAccount, WebhookSettings } from './webhook-settings-schema.js';

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
