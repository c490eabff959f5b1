export { configVersion } from './config-version.js';
export { goLayoutMigration, hasGoLayout } from './go-layout-migration.js';
export { hasLegacyMemoryKeys, migrateLegacyMemoryKeys, type MemoryMigrationChange } from './legacy-memory-migration.js';
export { renderDiff, type DiffOptions } from './line-diff.js';
export { CURRENT_CONFIG_VERSION, type Migration, type MigrationChange } from './migration.js';
export { MigrationError } from './migration-error.js';
export { applyMigrations, conflictDiagnostic, planMigrations, type AppliedMigrations, type MigrationPlan, type PlannedChange } from './plan-migrations.js';
export { CONFIG_MIGRATIONS } from './registry.js';
