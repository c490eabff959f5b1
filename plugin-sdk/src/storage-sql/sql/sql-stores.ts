import type { Clock } from '../../contracts/index.js';
import { UuidV7Generator, type StoreSet } from '../../storage/index.js';
import type { SqlBackend } from './sql-backend.js';
import { SqlAgentStore } from './sql-agent-store.js';
import { SqlApiKeyStore } from './sql-api-key-store.js';
import { SqlChannelConnectionStore } from './sql-channel-connection-store.js';
import { SqlChannelPairingStore } from './sql-channel-pairing-store.js';
import { SqlInboundReceiptStore } from './sql-inbound-receipt-store.js';
import { SqlSessionStore } from './sql-session-store.js';
import { SqlUserStore } from './sql-user-store.js';

/** The stores over one open database, sharing one id generator and clock. */
export function createSqlStores(backend: SqlBackend, clock: Clock): StoreSet {
  const ids = new UuidV7Generator();
  return {
    sessions: new SqlSessionStore(backend, clock, ids),
    agents: new SqlAgentStore(backend, clock, ids),
    channelConnections: new SqlChannelConnectionStore(backend, clock, ids),
    users: new SqlUserStore(backend, clock, ids),
    apiKeys: new SqlApiKeyStore(backend, clock, ids),
    inboundReceipts: new SqlInboundReceiptStore(backend, clock),
    channelPairings: new SqlChannelPairingStore(backend, clock),
  };
}
