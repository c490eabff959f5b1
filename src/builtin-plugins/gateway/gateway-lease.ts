import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { GATEWAY_LEASE_RENEW_MS, SafeguardStoreToken, type Clock, type Logger, type SafeguardStore, type ServiceRegistry } from '@nexus/plugin-sdk';

/**
 * Says in the database that this gateway serves from it, for as long as it does: a lease renewed
 * every `GATEWAY_LEASE_RENEW_MS` and released on close. `nexus migrate down` refuses while a
 * live lease exists, wherever the gateway runs (another machine sharing PostgreSQL, another
 * $NEXUS_HOME); a gateway that died without releasing it stops counting once the lease goes stale.
 */
export class GatewayLease {
  private readonly id = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  /** Kept from `take`: at shutdown the kernel no longer hands out services. */
  private store: SafeguardStore | undefined;
  /** Kept so that a release waits for a lease still being recorded. */
  private taking: Promise<void> | undefined;

  constructor(
    private readonly services: ServiceRegistry,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Takes the lease; a store that cannot record it is logged, not fatal (the gateway still serves). Never rejects. */
  take(address: string): Promise<void> {
    this.taking = this.record(address);
    return this.taking;
  }

  private async record(address: string): Promise<void> {
    if (!this.services.has(SafeguardStoreToken)) return;
    const lease = { id: this.id, host: hostname(), pid: process.pid, address, startedAt: this.clock.now() };
    const renew = async (store: SafeguardStore) => {
      try {
        await store.renewGatewayLease(lease, this.clock.now());
      } catch (error) {
        this.logger.warn(`could not record this gateway in the database (nexus migrate down relies on it to refuse while the gateway runs): ${(error as Error).message}`);
      }
    };
    try {
      this.store = await this.services.get(SafeguardStoreToken);
    } catch (error) {
      this.logger.warn(`could not record this gateway in the database: ${(error as Error).message}`);
      return;
    }
    const store = this.store;
    await renew(store);
    this.timer = setInterval(() => void renew(store), GATEWAY_LEASE_RENEW_MS);
    this.timer.unref();
  }

  /** Idempotent: the drain releases it while the store is still open, and close makes sure. */
  async release(): Promise<void> {
    await this.taking;
    clearInterval(this.timer);
    this.timer = undefined;
    const store = this.store;
    this.store = undefined;
    if (!store) return;
    try {
      await store.releaseGatewayLease(this.id);
    } catch (error) {
      this.logger.warn(`could not release this gateway's lease; it goes stale by itself: ${(error as Error).message}`);
    }
  }
}
