/**
 * The engine's database: the SDK's SQL port (`nexus.store.sql`), which the storage slot's SQL
 * occupants provide for SQLite and PostgreSQL alike.
 */
export type { SqlClient } from '@nexus/plugin-sdk';
