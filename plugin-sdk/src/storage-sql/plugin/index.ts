/** What storage-sqlite and storage-postgres build their plugins from. */
export { defineSqlStoragePlugin, type SqlStoragePluginOptions } from './define-sql-storage-plugin.js';
