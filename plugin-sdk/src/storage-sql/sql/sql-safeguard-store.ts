import type { GatewayLease, SafeguardStore } from '../../contracts/index.js';
import { checkGatewayLease } from '../../storage/index.js';
import { deleteSafeguard, ensureSafeguardTable, readSafeguards, SAFEGUARD_ROWS, writeSafeguard } from './safeguard-table.js';
import type { SqlBackend } from './sql-backend.js';

/**
 * The safeguards in `nexus_safeguards`, a table outside the migrated schema: no migration creates
 * or drops it, so `nexus migrate down` leaves the credentials marker and gateway leases in place.
 * It is created by the first write; reads on a database without it find nothing.
 */
export class SqlSafeguardStore implements SafeguardStore {
  private ensured: Promise<void> | undefined;

  constructor(private readonly backend: SqlBackend) {}

  async credentialsConfiguredSince(): Promise<number | undefined> {
    const [row] = await readSafeguards(this.backend.db, SAFEGUARD_ROWS.credentials);
    return row?.updatedAt;
  }

  async markCredentialsConfigured(at: number): Promise<void> {
    await this.table();
    await writeSafeguard(this.backend.db, { name: SAFEGUARD_ROWS.credentials, value: JSON.stringify({ since: at }), updatedAt: at }, true);
  }

  clearCredentialsMarker(): Promise<boolean> {
    return deleteSafeguard(this.backend.db, SAFEGUARD_ROWS.credentials);
  }

  async renewGatewayLease(lease: Omit<GatewayLease, 'renewedAt'>, at: number): Promise<void> {
    const { id, ...rest } = checkGatewayLease(lease);
    await this.table();
    await writeSafeguard(this.backend.db, { name: `${SAFEGUARD_ROWS.gatewayPrefix}${id}`, value: JSON.stringify(rest), updatedAt: at });
  }

  async releaseGatewayLease(id: string): Promise<void> {
    await deleteSafeguard(this.backend.db, `${SAFEGUARD_ROWS.gatewayPrefix}${id}`);
  }

  async gatewayLeases(): Promise<readonly GatewayLease[]> {
    const rows = await readSafeguards(this.backend.db, SAFEGUARD_ROWS.gatewayPrefix, true);
    return rows.map((row) => ({ id: row.name.slice(SAFEGUARD_ROWS.gatewayPrefix.length), ...(JSON.parse(row.value) as Omit<GatewayLease, 'id' | 'renewedAt'>), renewedAt: row.updatedAt }));
  }

  /** Created once per store; a failed attempt is tried again on the next write. */
  private table(): Promise<void> {
    this.ensured ??= ensureSafeguardTable(this.backend.db, this.backend.dialect).catch((error: unknown) => {
      this.ensured = undefined;
      throw error;
    });
    return this.ensured;
  }
}
