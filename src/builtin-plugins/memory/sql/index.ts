export { MEMORY_MIGRATIONS } from './memory-migrations.js';
export type { SqlClient } from './sql-client.js';
