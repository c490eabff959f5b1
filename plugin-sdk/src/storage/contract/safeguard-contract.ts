import type { ContractTestApi } from '../../contract-suite/contract-test-api.js';
import type { SafeguardStore } from '../../contracts/index.js';

const LEASE = { id: '0190a4d2-0000-7000-8000-00000000000a', host: 'box-1', pid: 4242, address: '127.0.0.1:50051', startedAt: 1_700_000_000_000 };

/** The marker that credentials existed, and gateway leases: kept apart from the migrated tables. */
export function safeguardContract({ it, expect }: ContractTestApi, safeguards: () => SafeguardStore): void {
  it('records when credentials were first configured, keeps that time, and forgets it only when told', async () => {
    expect(await safeguards().credentialsConfiguredSince()).toBeUndefined();
    expect(await safeguards().clearCredentialsMarker()).toBe(false);
    await safeguards().markCredentialsConfigured(1_000);
    await safeguards().markCredentialsConfigured(2_000);
    expect(await safeguards().credentialsConfiguredSince()).toBe(1_000);
    expect(await safeguards().clearCredentialsMarker()).toBe(true);
    expect(await safeguards().credentialsConfiguredSince()).toBeUndefined();
    await safeguards().markCredentialsConfigured(3_000);
    expect(await safeguards().credentialsConfiguredSince()).toBe(3_000);
  });

  it('records, renews and releases gateway leases', async () => {
    expect(await safeguards().gatewayLeases()).toEqual([]);
    await safeguards().renewGatewayLease(LEASE, 5_000);
    const other = { ...LEASE, id: '0190a4d2-0000-7000-8000-00000000000b', host: 'box-2' };
    await safeguards().renewGatewayLease(other, 6_000);
    await safeguards().renewGatewayLease(LEASE, 7_000);
    expect(await safeguards().gatewayLeases()).toEqual([
      { ...other, renewedAt: 6_000 },
      { ...LEASE, renewedAt: 7_000 },
    ]);
    await safeguards().releaseGatewayLease(LEASE.id);
    await safeguards().releaseGatewayLease(LEASE.id);
    expect(await safeguards().gatewayLeases()).toEqual([{ ...other, renewedAt: 6_000 }]);
  });

  it('refuses a lease that is not one', async () => {
    await expect(safeguards().renewGatewayLease({ ...LEASE, pid: 0 }, 1)).rejects.toMatchObject({ code: 'validation', field: 'lease.pid' });
    await expect(safeguards().renewGatewayLease({ ...LEASE, id: 'gateway-1' }, 1)).rejects.toMatchObject({ code: 'validation', field: 'lease.id' });
    expect(await safeguards().gatewayLeases()).toEqual([]);
  });
}
