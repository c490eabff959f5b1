import {
  AgentStoreToken,
  ApiKeyStoreToken,
  ChannelConnectionStoreToken,
  ChannelPairingStoreToken,
  SafeguardStoreToken,
  InboundReceiptStoreToken,
  SessionStoreToken,
  StorageMigratorToken,
  UserStoreToken,
  type AgentStore,
  type ApiKeyStore,
  type ChannelConnectionStore,
  type ChannelPairingStore,
  type InboundReceiptStore,
  type PluginRegistrationContext,
  type ResolutionContext,
  type SafeguardStore,
  type SessionStore,
  type StorageMigrator,
  type UserStore,
} from '../contracts/index.js';

/** Everything a storage slot occupant provides. */
export interface StoreSet {
  readonly sessions: SessionStore;
  readonly agents: AgentStore;
  readonly channelConnections: ChannelConnectionStore;
  readonly users: UserStore;
  readonly apiKeys: ApiKeyStore;
  /** Which channel messages arrived already (de-duplication across restarts). */
  readonly inboundReceipts: InboundReceiptStore;
  /** Which direct-message senders asked to pair, and which the operator let in. */
  readonly channelPairings: ChannelPairingStore;
}

/**
 * Binds the stores, the migrator and the safeguards as services. `stores` may throw, e.g. while
 * the schema is behind: then resolving a store fails with that error (the gateway refuses to start
 * and says why) while the migrator and the safeguards stay available for `nexus migrate` and
 * `nexus auth`.
 */
export function provideStores(
  ctx: PluginRegistrationContext,
  stores: (context: ResolutionContext) => StoreSet,
  migrator: (context: ResolutionContext) => StorageMigrator,
  safeguards: (context: ResolutionContext) => SafeguardStore,
): void {
  ctx.provide(SessionStoreToken).toDynamicValue((c) => stores(c).sessions);
  ctx.provide(AgentStoreToken).toDynamicValue((c) => stores(c).agents);
  ctx.provide(ChannelConnectionStoreToken).toDynamicValue((c) => stores(c).channelConnections);
  ctx.provide(UserStoreToken).toDynamicValue((c) => stores(c).users);
  ctx.provide(ApiKeyStoreToken).toDynamicValue((c) => stores(c).apiKeys);
  ctx.provide(InboundReceiptStoreToken).toDynamicValue((c) => stores(c).inboundReceipts);
  ctx.provide(ChannelPairingStoreToken).toDynamicValue((c) => stores(c).channelPairings);
  ctx.provide(StorageMigratorToken).toDynamicValue(migrator);
  ctx.provide(SafeguardStoreToken).toDynamicValue(safeguards);
}

/** The `contributes.services` entries every storage plugin declares, in the order above. */
export const STORE_SERVICE_IDS = [
  'nexus.store.sessions',
  'nexus.store.agents',
  'nexus.store.channel-connections',
  'nexus.store.users',
  'nexus.store.api-keys',
  'nexus.store.inbound-receipts',
  'nexus.store.channel-pairings',
  'nexus.store.migrator',
  'nexus.store.safeguards',
] as const;
