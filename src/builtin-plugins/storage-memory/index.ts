import { ClockToken, definePlugin } from '@nexus/plugin-sdk';
import { provideStores, type StoreSet } from '@nexus/plugin-sdk/storage';
import { createMemoryStores, memoryMigrator } from './memory-stores.js';

export { createMemoryStores } from './memory-stores.js';

/**
 * The in-memory storage slot occupant, for tests and throwaway runs (`database.url: memory`, or
 * `plugins.slots.storage: storage-memory`). Everything is gone when the process exits.
 */
export default definePlugin({
  register(ctx) {
    let stores: StoreSet | undefined;
    provideStores(
      ctx,
      (c) => (stores ??= createMemoryStores(c.get(ClockToken))),
      () => memoryMigrator,
    );
  },
});
