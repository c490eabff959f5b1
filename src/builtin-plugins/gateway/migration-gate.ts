import { StorageMigratorToken, type ServiceRegistry } from '@nexus/plugin-sdk';

/**
 * The gateway refuses to open while the store has migrations pending or edited: serving on a
 * schema the code does not expect risks losing messages. A store that migrates by itself (SQLite
 * by default) is brought up to date first, so a failing migration stops startup here; in practice
 * this stops a PostgreSQL deployment that skipped `nexus migrate up`, and a database whose
 * migrations `nexus migrate down` reverted.
 */
export async function checkMigrations(services: ServiceRegistry): Promise<void> {
  if (!services.has(StorageMigratorToken)) return;
  const migrator = await services.get(StorageMigratorToken);
  await migrator.autoMigrate();
  const status = await migrator.status();
  if (status.tampered.length > 0) {
    throw new Error(
      `applied migrations were edited since they ran: ${status.tampered.map((m) => m.name).join(', ')}; restore their original SQL (see \`nexus migrate status\`)`,
    );
  }
  if (status.pending.length > 0) {
    const paused = status.pausedSince === undefined ? '' : ` (\`nexus migrate down\` reverted them at ${new Date(status.pausedSince).toISOString()}, so they are not re-applied by themselves)`;
    throw new Error(`the database has ${status.pending.length} pending migration(s): ${status.pending.map((m) => m.name).join(', ')}${paused}; run \`nexus migrate up\` first`);
  }
}
