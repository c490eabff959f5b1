import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeStoreContract } from './store-contract-suite.js';
import { openThroughKernel, sqlitePluginDir, storeKernel, tempDir } from './storage-test-kit.js';

/** The database file and its write-ahead log, as text, to search for secrets. */
function fileBytes(file: string): string {
  return [file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('\n');
}

describeStoreContract('SQLite', async () => {
  const file = join(tempDir(), 'nexus.db');
  const kernel = storeKernel(sqlitePluginDir, { path: file });
  return openThroughKernel(kernel, async () => fileBytes(file));
});
