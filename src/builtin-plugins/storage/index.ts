import { CliCommands, definePlugin, DoctorChecks } from '@nexus/plugin-sdk';
import { DatabaseProbeCheck } from './database-probe-check.js';
import { MigrateCommand } from './migrate-command.js';

/**
 * The storage plugin: its manifest owns the `database` section; its code runs `nexus migrate` and
 * the `database-probe` doctor check against whichever store fills the storage slot
 * (storage-sqlite, storage-postgres or storage-memory). Those plugins build on this folder's
 * shared, sql, migrations and sql-plugin modules.
 */
export default definePlugin({
  register(ctx) {
    ctx.contribute(CliCommands, 'migrate').to(MigrateCommand);
    ctx.contribute(DoctorChecks, 'database-probe').to(DatabaseProbeCheck);
  },
});
