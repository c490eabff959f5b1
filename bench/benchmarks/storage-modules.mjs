// The storage code under test, loaded from the build, and the message every append benchmark writes.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { distDir, repoRoot } from '../harness/paths.mjs';

const load = (path) => import(pathToFileURL(join(distDir, 'builtin-plugins', path)).href);
const storageKit = () => import(pathToFileURL(join(repoRoot, 'plugin-sdk', 'dist', 'storage-sql', 'index.js')).href);

export async function storageModules() {
  const [{ openSqlite }, { openPostgres }, kit] = await Promise.all([load('storage-sqlite/sqlite-backend.js'), load('storage-postgres/postgres-backend.js'), storageKit()]);
  const { appendTemplate } = kit;
  const sql = kit;
  const migrations = kit;
  /** Applies the core migrations, as `nexus migrate up` would. */
  const migrate = (backend) => new migrations.SqlMigrator(backend, async () => migrations.planMigrations(backend.dialect, []), () => Date.now()).up();
  return { openSqlite, openPostgres, createSqlStores: sql.createSqlStores, appendTemplate, migrate, coreMigrations: migrations.CORE_MIGRATIONS };
}

export const clock = { now: () => Date.now() };

/** A typical chat message: a few sentences, a little metadata. */
export function benchMessage(sessionId, i) {
  return { sessionId, role: i % 2 === 0 ? 'user' : 'assistant', content: `Message ${i}: could you look at the deployment notes and tell me what changed since yesterday?`, metadata: { channel: 'telegram', turn: i } };
}
