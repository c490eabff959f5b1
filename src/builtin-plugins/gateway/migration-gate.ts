import { StorageMigratorToken, type ServiceRegistry } from '@nexus/plugin-sdk';

/**
 * The gateway refuses to open while the store has migrations pending or edited: serving on a
 * schema the code does not expect risks losing messages. SQLite migrates itself on open, so in
 * practice this stops a PostgreSQL deployment that skipped `nexus migrate up`.
 */
export async function checkMigrations(services: ServiceRegistry): Promise<void> {
  if (!services.has(StorageMigratorToken)) return;
  const status = await (await services.get(StorageMigratorToken)).status();
  if (status.tampered.length > 0) {
    throw new Error(
      `applied migrations were edited since they ran: ${status.tampered.map((m) => m.name).join(', ')}; restore their original SQL (see \`nexus migrate status\`)`,
    );
  }
  if (status.pending.length > 0) {
    throw new Error(`the database has ${status.pending.length} pending migration(s): ${status.pending.map((m) => m.name).join(', ')}; run \`nexus migrate up\` first`);
  }
}
