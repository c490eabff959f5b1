import { join } from 'node:path';
import { startFakeSlack, type FakeSlack, type FakeSlackOptions, type SlackMessageEvent } from '../../fixtures/platforms/slack/index.js';
import { eventually } from '../../fixtures/platforms/shared/index.js';
import { startOneAccountPlugin, type ChannelPluginSetup, type OneAccountOptions } from '../channel-plugin-kit.js';
import { onCleanup } from '../http/http-test-kit.js';

export const slackPluginDir = join(import.meta.dirname, '../../../src/builtin-plugins/slack');

export interface SlackPluginSetup extends ChannelPluginSetup {
  readonly slack: FakeSlack;
}

/**
 * The Slack plugin in a test kernel (with the storage plugins, an in-memory database unless
 * `database` says otherwise) pointed at a fake Slack, its account `main` open to everyone unless
 * `account` says otherwise; started, with a handler collecting messages, unless `start` is false.
 */
export async function startSlackPlugin(
  options: OneAccountOptions & { readonly slack?: FakeSlack; readonly fake?: FakeSlackOptions } = {},
): Promise<SlackPluginSetup> {
  const slack = options.slack ?? (await startFakeSlack(options.fake));
  if (!options.slack) onCleanup(() => slack.close());
  return { slack, ...(await startOneAccountPlugin(slackPluginDir, 'slack', { bot_token: slack.botToken, app_token: slack.appToken, api_base_url: slack.apiUrl }, options)) };
}

/** Delivers an event and waits for the plugin's ack (the plugin acks before any work). */
export async function deliverAcked(slack: FakeSlack, event: SlackMessageEvent): Promise<void> {
  await slack.deliver(event).acked;
}

/** A DM from `user` in `channel` (D…). */
export function dm(slack: FakeSlack, text: string, fields: Partial<SlackMessageEvent> = {}): SlackMessageEvent {
  return slack.message({ text, channel: 'D0DIRECT', channel_type: 'im', ...fields });
}

export { eventually };
