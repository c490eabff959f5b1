import { ChannelPairingStoreToken, InboundReceiptStoreToken, type Clock, type ConfigAccess, type Logger, type ServiceRegistry, type TaskTracker } from '@nexus/plugin-sdk';
import { ReceiptDeduplicator, systemTimers } from '@nexus/plugin-sdk/channel';
import { PollerRegistry } from './poller-registry.js';
import { SqlOffsetStore } from './sql-offset-store.js';
import { TelegramChannel } from './telegram-channel.js';

/** Telegram keeps an unconfirmed update for 24 hours; a redelivery is recognised for twice that. */
const DEDUP_WINDOW_MS = 48 * 60 * 60_000;

/** The channel and what it keeps, built once per activation and shared by every capability. */
export interface TelegramRuntime {
  readonly channel: TelegramChannel;
  readonly offsets: SqlOffsetStore;
}

/**
 * Builds every configured account from `channels.telegram`, with update offsets in the
 * database, de-duplication by inbound receipts, and the access policy with pairing. One
 * poller registry per activation: one consumer of updates per bot in the process.
 */
export function createTelegramRuntime(deps: { readonly config: ConfigAccess; readonly services: ServiceRegistry; readonly clock: Clock; readonly tasks: TaskTracker; readonly logger: Logger }): TelegramRuntime {
  const { services, clock, tasks, logger } = deps;
  const offsets = new SqlOffsetStore(services, clock);
  const channel = new TelegramChannel({
    section: deps.config.section<{ telegram?: unknown }>('channels')?.telegram,
    pollers: new PollerRegistry(),
    offsets,
    seen: (accountId) =>
      new ReceiptDeduplicator({ channel: 'telegram', accountId, receipts: async () => (services.has(InboundReceiptStoreToken) ? services.get(InboundReceiptStoreToken) : undefined), windowMs: DEDUP_WINDOW_MS, storeRequired: true, clock, tasks, logger: logger.child({ account: accountId }) }),
    access: { pairings: async () => (services.has(ChannelPairingStoreToken) ? services.get(ChannelPairingStoreToken) : undefined) },
    timers: systemTimers(clock),
    logger,
  });
  return { channel, offsets };
}
