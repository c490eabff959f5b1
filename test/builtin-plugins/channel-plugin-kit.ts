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
import { createTestKernel, type TestKernel } from '../../src/kernel/testing/index.js';
import { onCleanup } from './http/http-test-kit.js';
import { storagePluginDirs } from './webhook/webhook-test-kit.js';

/** Policy that lets everyone in, for tests about something else. */
export const OPEN_POLICY = { dm_policy: 'open', group_policy: 'open', allow_from: ['*'], require_mention: false } as const;

/** Every capability a chat channel plugin binds under its channel name, and the messages it handed on. */
export interface ChannelPluginSetup {
  readonly kernel: TestKernel;
  readonly lifecycle: ChannelLifecycle;
  readonly inbound: ChannelInbound;
  readonly outbound: ChannelOutbound;
  readonly health: ChannelHealth;
  readonly login: ChannelLogin;
  readonly replies: ChannelReplies;
  readonly conversation: ConversationResolver;
  /** What the inbound capability handed on, in order (empty unless started). */
  readonly received: InboundMessage[];
}

export interface ChannelPluginOptions {
  readonly plugin: string;
  /** The channel name the capabilities are bound under, and its config section: `channels.<channel>`. */
  readonly channel: string;
  /** `channels.<channel>.accounts`. */
  readonly accounts: Record<string, Record<string, unknown>>;
  /** Plugins loaded beside it; the storage plugins always are. */
  readonly with?: readonly string[];
  /** Other top-level settings (`server`, `session`…). */
  readonly settings?: Record<string, unknown>;
  /** `database`; in memory by default. */
  readonly database?: Record<string, unknown>;
  readonly services?: readonly (readonly [Token<unknown>, unknown])[];
  readonly clock?: Clock;
  /** The file `ConfigAccess.path` names (the doctor's inline-secret check reads it). */
  readonly configPath?: string;
  /** Start the lifecycle with a handler collecting messages (default true). */
  readonly start?: boolean;
}

/**
 * A channel plugin in a test kernel with the storage plugins, its capabilities resolved;
 * started, with a handler collecting messages, unless `start` is false. The kernel and the
 * lifecycle are stopped after the test.
 */
export async function startChannelPlugin(options: ChannelPluginOptions): Promise<ChannelPluginSetup> {
  const kernel = createTestKernel({
    plugin: options.plugin,
    with: [...(options.with ?? []), ...storagePluginDirs],
    settings: { ...options.settings, channels: { [options.channel]: { accounts: options.accounts } }, database: options.database ?? { url: 'memory' } },
    ...(options.services ? { services: options.services } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.configPath ? { configPath: options.configPath } : {}),
  });
  onCleanup(() => kernel.stop());
  const get = <T>(token: Token<T>) => kernel.contributions.get(token, options.channel);
  const setup: ChannelPluginSetup = {
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
  if (options.start !== false) await startReceiving(setup);
  return setup;
}

/** What a plugin's test kit takes for its one account, `main`. */
export interface OneAccountOptions extends Pick<ChannelPluginOptions, 'database' | 'services' | 'clock' | 'configPath' | 'start'> {
  /** Merged over the account's credentials and `OPEN_POLICY`. */
  readonly account?: Record<string, unknown>;
  /** The `session` section (`slack_scope`, `discord_scope`). */
  readonly session?: Record<string, unknown>;
}

/** `startChannelPlugin` with one account, `main`: `credentials` point it at the fake, and it is open to everyone unless `options.account` says otherwise. */
export function startOneAccountPlugin(plugin: string, channel: string, credentials: Record<string, unknown>, options: OneAccountOptions): Promise<ChannelPluginSetup> {
  const { database, services, clock, configPath, start, account, session } = options;
  return startChannelPlugin({ plugin, channel, accounts: { main: { ...credentials, ...OPEN_POLICY, ...account } }, ...(session ? { settings: { session } } : {}), ...(database ? { database } : {}), ...(services ? { services } : {}), ...(clock ? { clock } : {}), ...(configPath ? { configPath } : {}), ...(start !== undefined ? { start } : {}) });
}

/** Subscribes `received` to the channel's messages and starts it; it is stopped after the test. */
export async function startReceiving(setup: ChannelPluginSetup): Promise<void> {
  setup.inbound.onMessage(async (message) => void setup.received.push(message));
  await setup.lifecycle.start(AbortSignal.timeout(10_000));
  onCleanup(() => setup.lifecycle.stop());
}
