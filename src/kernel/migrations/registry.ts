import { goLayoutMigration } from './go-layout-migration.js';
import type { Migration } from './migration.js';

/** Every config migration, oldest first; each `to` is the next one's `from`. */
export const CONFIG_MIGRATIONS: readonly Migration[] = [goLayoutMigration];
