import type { Clock, StorageMigrator } from '@nexus/plugin-sdk';
import { UuidV7Generator, type StoreSet } from '@nexus/plugin-sdk/storage';
import { MemoryAgentStore } from './memory-agent-store.js';
import { MemoryApiKeyStore } from './memory-api-key-store.js';
import { MemoryChannelConnectionStore } from './memory-channel-connection-store.js';
import { MemoryChannelPairingStore } from './memory-channel-pairing-store.js';
import { MemoryInboundReceiptStore } from './memory-inbound-receipt-store.js';
import { MemorySessionStore } from './memory-session-store.js';
import { MemoryUserStore } from './memory-user-store.js';

/** A fresh, empty set of in-memory stores sharing one id generator and clock. */
export function createMemoryStores(clock: Clock): StoreSet {
  const ids = new UuidV7Generator();
  return {
    sessions: new MemorySessionStore(clock, ids),
    agents: new MemoryAgentStore(clock, ids),
    channelConnections: new MemoryChannelConnectionStore(clock, ids),
    users: new MemoryUserStore(clock, ids),
    apiKeys: new MemoryApiKeyStore(clock, ids),
    inboundReceipts: new MemoryInboundReceiptStore(clock),
    channelPairings: new MemoryChannelPairingStore(clock),
  };
}

/** Nothing is on disk, so there is never anything to migrate. */
export const memoryMigrator: StorageMigrator = {
  dialect: 'memory',
  location: 'memory (kept only while the process runs)',
  status: async () => ({ applied: [], pending: [], tampered: [], unknown: [] }),
  autoMigrate: async () => [],
  up: async () => [],
  down: async () => [],
  planDown: async () => [],
};
