/** What every store shares, in memory or SQL: ids, input checks, cursors, key hashing, JSON columns. */
export { API_KEY_TAKEN, hashApiKey, sameHash } from './api-key-hash.js';
export { decodeAttachments, parseJsonColumn } from './message-codec.js';
export { deepFreeze } from './deep-freeze.js';
export { decodeCursor, encodeCursor } from './page-cursor.js';
export {
  checkAgentPatch,
  checkApiKey,
  checkConnection,
  checkGatewayLease,
  checkIdentity,
  checkLimit,
  checkNewAgent,
  checkNewMessage,
  checkNewMessageValues,
  checkNewSession,
  checkPage,
  checkSessionIds,
  checkSessionKey,
  checkSessionPatch,
  type CheckedIdentity,
  type CheckedMessage,
  type CheckedMessageValues,
  type CheckedPage,
  type AgentPatch,
  type CheckedAgent,
  type CheckedConnection,
  type CheckedSession,
} from './record-checks.js';
export { isUuid, UuidV7Generator } from './uuid-v7.js';
export { checkFrozenJson, checkJson } from './json-checks.js';
export { checkId, checkName, checkText } from './value-checks.js';
export { provideStores, STORE_SERVICE_IDS, type StoreSet } from './store-set.js';
export { durationMs, readDatabaseSettings, redactUrl, sqliteFile, type DatabaseSettings } from './database-settings.js';
export { checkInstant, checkNewReceipt, checkWindow } from './receipt-checks.js';
export { describeStoreContract, SteppingClock, type ContractAssertion, type ContractExpect, type ContractTestApi, type StoreUnderTest } from './contract/index.js';
export { checkDecision, checkPairingCode, checkPairingInput, checkPairingStatus, newPairingCode, type CheckedPairingInput } from './pairing-checks.js';
