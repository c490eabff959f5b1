import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { webhookSettingsSchema, type WebhookSettings } from '../../../src/builtin-plugins/webhook/webhook-settings-schema.js';

describe('webhook settings type', () => {
  it('comes from the same schema the manifest declares for channels.webhook', () => {
    const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '../../../src/builtin-plugins/webhook/nexus.plugin.json'), 'utf8')) as {
      contributes: { configSections: { section: string; schema: unknown }[] };
    };
    const section = manifest.contributes.configSections.find((s) => s.section === 'channels.webhook');
    expect(webhookSettingsSchema).toEqual(section?.schema);
  });

  it('makes defaulted settings required, the account fields optional, and all of it read-only', () => {
    expectTypeOf<WebhookSettings>().toEqualTypeOf<{
      readonly accounts: { readonly [account: string]: { readonly secret?: string; readonly callback_url?: string } };
      readonly max_skew_seconds: number;
      readonly callback_timeout_ms: number;
      readonly retry: { readonly attempts: number; readonly initial_delay_ms: number; readonly max_delay_ms: number };
      readonly dedup_window_seconds: number;
      readonly dead_letter_file: string;
    }>();
  });
});
