import { hostname } from 'node:os';
import { GATEWAY_LEASE_STALE_MS, isProcessAlive, type GatewayLease } from '@nexus/plugin-sdk';

/**
 * Which recorded gateways still run. A lease not renewed within `GATEWAY_LEASE_STALE_MS` is a
 * gateway that died without releasing it (killed, its machine lost); on this machine, a lease
 * whose process is gone is dead at once, without waiting for it to go stale.
 */
export function classifyLeases(
  leases: readonly GatewayLease[],
  now: number,
  here: string = hostname(),
  isRunning: (pid: number) => boolean = isProcessAlive,
): { readonly live: readonly GatewayLease[]; readonly dead: readonly GatewayLease[] } {
  const live: GatewayLease[] = [];
  const dead: GatewayLease[] = [];
  for (const lease of leases) {
    const stale = now - lease.renewedAt > GATEWAY_LEASE_STALE_MS;
    const gone = lease.host === here && !isRunning(lease.pid);
    (stale || gone ? dead : live).push(lease);
  }
  return { live, dead };
}

export function describeLease(lease: GatewayLease, now: number): string {
  return `pid ${lease.pid} on ${lease.host}, listening on ${lease.address}, started ${new Date(lease.startedAt).toISOString()}, last seen ${Math.max(0, Math.round((now - lease.renewedAt) / 1000))} s ago`;
}
