import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoreSet } from '../../../plugin-sdk/src/storage/index.js';
import { accessContract } from './contract/access-contract.js';
import { accountContract } from './contract/account-contract.js';
import { badInputContract } from './contract/bad-input-contract.js';
import { safeguardContract } from './contract/safeguard-contract.js';
import { inboundReceiptContract } from './contract/inbound-receipt-contract.js';
import { sessionContract } from './contract/session-contract.js';
import { SteppingClock, type StoreUnderTest } from './storage-test-kit.js';

/**
 * The one behaviour every storage backend must show, run unchanged against memory, SQLite and
 * PostgreSQL. `open` gives each test a fresh, empty, migrated store, running on `clock`.
 */
export function describeStoreContract(name: string, open: (clock: SteppingClock) => Promise<StoreUnderTest>): void {
  describe(`${name} store contract`, () => {
    let current: StoreUnderTest | undefined;
    let clock = new SteppingClock();
    const stores = (): StoreSet => {
      if (!current) throw new Error('no store is open');
      return current.stores;
    };
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
      const status = await current!.migrator.status();
      expect(status.pending).toEqual([]);
      expect(status.tampered).toEqual([]);
    });

    describe('sessions and messages', () => sessionContract(stores));
    describe('agents, channel connections, users and API keys', () => accountContract(stores, () => current!.dump?.() ?? Promise.resolve('')));
    describe('bad input', () => badInputContract(stores));
    describe('owners, sharing and roles', () => accessContract(stores));
    describe('safeguards', () => safeguardContract(() => current!.safeguards));
    describe('inbound receipts', () => inboundReceiptContract(stores, () => clock));
  });
}
