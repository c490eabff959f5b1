import { join } from 'node:path';
import {
  ChannelHealths,
  ChannelInbounds,
  ChannelLifecycles,
  ChannelLogins,
  ChannelOutbounds,
  ChannelPairingStoreToken,
  ChannelReplyStreams,
  ConversationResolvers,
  HttpServerToken,
  type ChannelPairingStore,
  type InboundMessage,
  type PairingRequest,
} from '@nexus/plugin-sdk';
import { createTestKernel } from '../../../src/kernel/testing/index.js';
import { TelegramBotApiFake, type BotState } from '../../fixtures/platforms/telegram/index.js';
import { gatewaySettingsPlugin, httpPluginDir, onCleanup, tempDir } from '../http/http-test-kit.js';
import { storagePluginDirs } from '../webhook/webhook-test-kit.js';

export const telegramPluginDir = join(import.meta.dirname, '../../../src/builtin-plugins/telegram');

/** A fake Bot API on 127.0.0.1 with one bot, closed after the test. */
export async function startFake(): Promise<{ fake: TelegramBotApiFake; bot: BotState }> {
  const fake = await TelegramBotApiFake.start({ allowHttpWebhooks: true, webhookRetryMs: 50 });
  onCleanup(() => fake.close());
  return { fake, bot: fake.addBot({ username: 'nexus_helper_bot' }) };
}

/** A SQLite file in a fresh folder: what a restarted gateway opens again. */
export function sqliteDatabase(): Record<string, unknown> {
  return { path: join(tempDir('nexus-telegram-db-'), 'nexus.db') };
}

/**
 * A kernel with the Telegram plugin, the HTTP server on a free loopback port and the storage
 * plugins (memory unless `database` says otherwise). `account` is merged over a polling account
 * pointed at the fake; `services` binds fakes such as a pairing store.
 */
export async function startTelegram(
  fake: TelegramBotApiFake,
  bot: BotState,
  options: { readonly account?: Record<string, unknown>; readonly accounts?: Record<string, Record<string, unknown>>; readonly database?: Record<string, unknown>; readonly pairings?: ChannelPairingStore; readonly start?: boolean; readonly httpPort?: number } = {},
) {
  const accounts = options.accounts ?? { main: { bot_token: bot.token, api_base_url: fake.apiRoot, ...options.account } };
  const kernel = createTestKernel({
    plugin: telegramPluginDir,
    with: [httpPluginDir, gatewaySettingsPlugin(), ...storagePluginDirs],
    settings: { server: { host: '127.0.0.1', http_port: options.httpPort ?? 0 }, channels: { telegram: { accounts } }, database: options.database ?? { url: 'memory' } },
    ...(options.pairings ? { services: [[ChannelPairingStoreToken, options.pairings] as const] } : {}),
  });
  onCleanup(() => kernel.stop());
  const address = (await kernel.services.get(HttpServerToken)).address();
  if (!address) throw new Error('the HTTP server did not start');
  const get = <T>(token: Parameters<typeof kernel.contributions.get<T>>[0]) => kernel.contributions.get(token, 'telegram');
  const channel = {
    lifecycle: await get(ChannelLifecycles),
    inbound: await get(ChannelInbounds),
    outbound: await get(ChannelOutbounds),
    health: await get(ChannelHealths),
    conversation: await get(ConversationResolvers),
    replies: await get(ChannelReplyStreams),
    login: await get(ChannelLogins),
  };
  const received: InboundMessage[] = [];
  if (options.start !== false) {
    channel.inbound.onMessage(async (message) => void received.push(message));
    await channel.lifecycle.start(AbortSignal.timeout(10_000));
    onCleanup(() => channel.lifecycle.stop());
  }
  return { kernel, url: address.url, received, ...channel };
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * The pairing store's contract, kept in memory, for tests until the storage plugins provide
 * `nexus.store.channel-pairings`: one pending code per sender, approvals by code.
 */
export class MemoryPairingStore implements ChannelPairingStore {
  readonly requests: PairingRequest[] = [];
  private next = 0;
  constructor(private readonly now: () => number = Date.now) {}

  async request(input: { channel: string; accountId: string; senderId: string; senderName?: string; ttlMs: number }): Promise<{ request: PairingRequest; created: boolean }> {
    const now = this.now();
    const existing = this.requests.find((r) => r.channel === input.channel && r.accountId === input.accountId && r.senderId === input.senderId);
    if (existing && (existing.status === 'approved' || (existing.status === 'pending' && existing.expiresAt > now))) return { request: existing, created: false };
    if (existing) this.requests.splice(this.requests.indexOf(existing), 1);
    const n = this.next++;
    const code = `PAIRME${ALPHABET[Math.floor(n / 32) % 32]}${ALPHABET[n % 32]}`;
    const request: PairingRequest = { channel: input.channel, accountId: input.accountId, senderId: input.senderId, ...(input.senderName ? { senderName: input.senderName } : {}), code, status: 'pending', requestedAt: now, expiresAt: now + input.ttlMs };
    this.requests.unshift(request);
    return { request, created: true };
  }

  async isApproved(channel: string, accountId: string, senderId: string): Promise<boolean> {
    return this.requests.some((r) => r.channel === channel && r.accountId === accountId && r.senderId === senderId && r.status === 'approved');
  }

  async decide(channel: string, code: string, decision: 'approved' | 'denied'): Promise<PairingRequest | undefined> {
    const index = this.requests.findIndex((r) => r.channel === channel && r.code === code.toUpperCase() && r.status === 'pending' && r.expiresAt > this.now());
    if (index < 0) return undefined;
    const decided: PairingRequest = { ...this.requests[index]!, status: decision, decidedAt: this.now() };
    this.requests[index] = decided;
    return decided;
  }

  async list(options: { channel?: string; status?: PairingRequest['status'] } = {}): Promise<readonly PairingRequest[]> {
    return this.requests.filter((r) => (options.channel === undefined || r.channel === options.channel) && (options.status === undefined || r.status === options.status));
  }

  async revoke(channel: string, accountId: string, senderId: string): Promise<boolean> {
    const index = this.requests.findIndex((r) => r.channel === channel && r.accountId === accountId && r.senderId === senderId && r.status === 'approved');
    if (index < 0) return false;
    this.requests.splice(index, 1);
    return true;
  }
}
