/** Schema migrations: the core set, planning with checksums, and the locking migrator. */
export { CORE_MIGRATIONS } from './core-migrations.js';
export { checksumOf, CORE_NAMESPACE, planMigrations, splitStatements, type PlannedMigration } from './migration-plan.js';
export { SqlMigrator } from './sql-migrator.js';
