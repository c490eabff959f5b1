import type { SafeguardStore, StorageMigrator } from '../../contracts/index.js';
import type { StoreSet } from '../store-set.js';
import { accessContract } from './access-contract.js';
import { accountContract } from './account-contract.js';
import { badInputContract } from './bad-input-contract.js';
import { channelPairingContract } from './channel-pairing-contract.js';
import type { ContractTestApi } from '../../contract-suite/contract-test-api.js';
import { inboundReceiptContract } from './inbound-receipt-contract.js';
import { safeguardContract } from './safeguard-contract.js';
import { sessionContract } from './session-contract.js';
import { SteppingClock } from './stepping-clock.js';

/** What the contract suite needs from a storage backend. */
export interface StoreUnderTest {
  readonly stores: StoreSet;
  readonly migrator: StorageMigrator;
  readonly safeguards: SafeguardStore;
  /** Every byte the backend stored, as text, to prove secrets are not among them (checked only when given). */
  dump?(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The one behaviour every storage backend must show, the suite the built-in memory, SQLite and
 * PostgreSQL stores run unchanged. `open` gives each test a fresh, empty, migrated store, running
 * on `clock`; `runner` is the test runner's own `describe`, `it`, `expect`, `beforeEach` and
 * `afterEach` (Vitest or Jest).
 */
export function describeStoreContract(name: string, open: (clock: SteppingClock) => Promise<StoreUnderTest>, runner: ContractTestApi): void {
  const { describe, it, expect, beforeEach, afterEach } = runner;
  describe(`${name} store contract`, () => {
    let current: StoreUnderTest | undefined;
    let clock = new SteppingClock();
    const opened = (): StoreUnderTest => {
      if (!current) throw new Error('no store is open: open() did not finish before the test ran');
      return current;
    };
    const stores = (): StoreSet => opened().stores;
    beforeEach(async () => {
      clock = new SteppingClock();
      current = await open(clock);
    });
    afterEach(async () => {
      await current?.close();
      current = undefined;
    });

    it('is migrated by the time its stores are first used', async () => {
      await stores().sessions.list({}, { limit: 1 });
      const status = await opened().migrator.status();
      expect(status.pending).toEqual([]);
      expect(status.tampered).toEqual([]);
    });

    describe('sessions and messages', () => sessionContract(runner, stores));
    describe('agents, channel connections, users and API keys', () => accountContract(runner, stores, () => opened().dump?.() ?? Promise.resolve('')));
    describe('bad input', () => badInputContract(runner, stores));
    describe('owners, sharing and roles', () => accessContract(runner, stores));
    describe('safeguards', () => safeguardContract(runner, () => opened().safeguards));
    describe('inbound receipts', () => inboundReceiptContract(runner, stores, () => clock));
    describe('channel pairings', () => channelPairingContract(runner, stores, () => clock));
  });
}
