import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoreSet } from '@nexus/plugin-sdk/storage';
import { accountContract } from './contract/account-contract.js';
import { badInputContract } from './contract/bad-input-contract.js';
import { sessionContract } from './contract/session-contract.js';
import type { StoreUnderTest } from './storage-test-kit.js';

/**
 * The one behaviour every storage backend must show, run unchanged against memory, SQLite and
 * PostgreSQL. `open` gives each test a fresh, empty, migrated store.
 */
export function describeStoreContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`${name} store contract`, () => {
    let current: StoreUnderTest | undefined;
    const stores = (): StoreSet => {
      if (!current) throw new Error('no store is open');
      return current.stores;
    };
    beforeEach(async () => {
      current = await open();
    });
    afterEach(async () => {
      await current?.close();
      current = undefined;
    });

    it('opens with no migration pending or tampered', async () => {
      const status = await current!.migrator.status();
      expect(status.pending).toEqual([]);
      expect(status.tampered).toEqual([]);
    });

    describe('sessions and messages', () => sessionContract(stores));
    describe('agents, channel connections, users and API keys', () => accountContract(stores, () => current!.dump?.() ?? Promise.resolve('')));
    describe('bad input', () => badInputContract(stores));
  });
}
