import type { StoreSet } from '../../storage/index.js';

/**
 * The stores, each method waiting for `migrate` first while `ready()` says the schema is still
 * behind. Once it is current, calls go straight through: one check per call, no extra promise.
 */
export function migratingFirst(stores: StoreSet, ready: () => boolean, migrate: () => Promise<unknown>): StoreSet {
  const wrap = <T extends object>(store: T): T => {
    const wrapped: Record<string, unknown> = {};
    for (const name of methodNames(store)) {
      const method = (store as Record<string, (...args: unknown[]) => Promise<unknown>>)[name]!;
      wrapped[name] = (...args: unknown[]) => (ready() ? method.apply(store, args) : migrate().then(() => method.apply(store, args)));
    }
    return wrapped as T;
  };
  return {
    sessions: wrap(stores.sessions),
    agents: wrap(stores.agents),
    channelConnections: wrap(stores.channelConnections),
    users: wrap(stores.users),
    apiKeys: wrap(stores.apiKeys),
    inboundReceipts: wrap(stores.inboundReceipts),
    channelPairings: wrap(stores.channelPairings),
  };
}

/** The public methods of a store class instance (its prototype's functions, constructor aside). */
function methodNames(store: object): string[] {
  const proto = Object.getPrototypeOf(store) as object;
  return Object.getOwnPropertyNames(proto).filter((name) => name !== 'constructor' && typeof (proto as Record<string, unknown>)[name] === 'function');
}
