import type { GatewayLease, SafeguardStore } from '@nexus/plugin-sdk';
import { checkGatewayLease } from '@nexus/plugin-sdk/storage';

/** The safeguards of an in-memory store: they last as long as the process, like its data. */
export class MemorySafeguardStore implements SafeguardStore {
  private credentialsSince: number | undefined;
  private readonly leases = new Map<string, GatewayLease>();

  async credentialsConfiguredSince(): Promise<number | undefined> {
    return this.credentialsSince;
  }

  async markCredentialsConfigured(at: number): Promise<void> {
    this.credentialsSince ??= at;
  }

  async clearCredentialsMarker(): Promise<boolean> {
    const had = this.credentialsSince !== undefined;
    this.credentialsSince = undefined;
    return had;
  }

  async renewGatewayLease(lease: Omit<GatewayLease, 'renewedAt'>, at: number): Promise<void> {
    const checked = checkGatewayLease(lease);
    this.leases.set(checked.id, { ...checked, renewedAt: at });
  }

  async releaseGatewayLease(id: string): Promise<void> {
    this.leases.delete(id);
  }

  async gatewayLeases(): Promise<readonly GatewayLease[]> {
    return [...this.leases.values()].sort((a, b) => a.renewedAt - b.renewedAt).map((lease) => ({ ...lease }));
  }
}
