/**
 * `@nexus/plugin-sdk/storage-sql`: the SQL stores, their schema migrations and the plugin shape
 * that storage-sqlite and storage-postgres are built from. A third-party SQL store (another
 * driver, a managed database) opens a `SqlBackend` and gets the same stores and migrations.
 */
export * from './sql/index.js';
export * from './migrations/index.js';
export * from './plugin/index.js';
