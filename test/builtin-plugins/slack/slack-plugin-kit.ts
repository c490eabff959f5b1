import { join } from 'node:path';
import {
  ChannelHealths,
  ChannelInbounds,
  ChannelLifecycles,
  ChannelLogins,
  ChannelOutbounds,
  ChannelReplyStreams,
  ConversationResolvers,
  type ChannelHealth,
  type ChannelInbound,
  type ChannelLifecycle,
  type ChannelLogin,
  type ChannelOutbound,
  type ChannelReplies,
  type Clock,
  type ConversationResolver,
  type InboundMessage,
  type Token,
} from '@nexus/plugin-sdk';
import { createTestKernel, type TestKernel } from '../../../src/kernel/testing/index.js';
import { startFakeSlack, type FakeSlack, type FakeSlackOptions, type SlackMessageEvent } from '../../fixtures/platforms/slack/index.js';
import { eventually } from '../../fixtures/platforms/shared/index.js';
import { onCleanup } from '../http/http-test-kit.js';
import { storagePluginDirs } from '../webhook/webhook-test-kit.js';

export const slackPluginDir = join(import.meta.dirname, '../../../src/builtin-plugins/slack');

export interface SlackPluginSetup {
  readonly slack: FakeSlack;
  readonly kernel: TestKernel;
  readonly lifecycle: ChannelLifecycle;
  readonly inbound: ChannelInbound;
  readonly outbound: ChannelOutbound;
  readonly health: ChannelHealth;
  readonly login: ChannelLogin;
  readonly replies: ChannelReplies;
  readonly conversation: ConversationResolver;
  readonly received: InboundMessage[];
}

/** Policy that lets everyone in, for tests about something else. */
export const OPEN_POLICY = { dm_policy: 'open', group_policy: 'open', allow_from: ['*'], require_mention: false } as const;

/**
 * The Slack plugin in a test kernel (with the storage plugins, an in-memory database unless
 * `database` says otherwise) pointed at a fake Slack, its capabilities resolved; started, with a
 * handler collecting messages, unless `start` is false.
 */
export async function startSlackPlugin(
  options: {
    readonly slack?: FakeSlack;
    readonly fake?: FakeSlackOptions;
    readonly account?: Record<string, unknown>;
    readonly session?: Record<string, unknown>;
    readonly database?: Record<string, unknown>;
    readonly services?: readonly (readonly [Token<unknown>, unknown])[];
    readonly clock?: Clock;
    /** The file `ConfigAccess.path` names (the doctor's inline-secret check reads it). */
    readonly configPath?: string;
    readonly start?: boolean;
  } = {},
): Promise<SlackPluginSetup> {
  const slack = options.slack ?? (await startFakeSlack(options.fake));
  if (!options.slack) onCleanup(() => slack.close());
  const kernel = createTestKernel({
    plugin: slackPluginDir,
    with: storagePluginDirs,
    settings: {
      channels: { slack: { accounts: { main: { bot_token: slack.botToken, app_token: slack.appToken, api_base_url: slack.apiUrl, ...OPEN_POLICY, ...options.account } } } },
      database: options.database ?? { url: 'memory' },
      ...(options.session ? { session: options.session } : {}),
    },
    ...(options.services ? { services: options.services } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.configPath ? { configPath: options.configPath } : {}),
  });
  onCleanup(() => kernel.stop());
  const get = <T>(token: Token<T>) => kernel.contributions.get(token, 'slack');
  const setup: SlackPluginSetup = {
    slack,
    kernel,
    lifecycle: await get(ChannelLifecycles),
    inbound: await get(ChannelInbounds),
    outbound: await get(ChannelOutbounds),
    health: await get(ChannelHealths),
    login: await get(ChannelLogins),
    replies: await get(ChannelReplyStreams),
    conversation: await get(ConversationResolvers),
    received: [],
  };
  if (options.start !== false) {
    setup.inbound.onMessage(async (message) => void setup.received.push(message));
    await setup.lifecycle.start(AbortSignal.timeout(10_000));
    onCleanup(() => setup.lifecycle.stop());
  }
  return setup;
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
