// history(50) on a SQLite store holding one million messages: 1,000 sessions of 1,000 messages,
// written round-robin as concurrent conversations would be, so one session's messages are spread
// over the file. Each call asks for a random session's last 50 messages and gets them decoded
// (JSON columns parsed, oldest first). Baseline: the raw better-sqlite3 query for the same rows.
// The database takes a while to generate, so it is kept under bench/.work, keyed by the schema.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { median } from '../harness/median.mjs';
import { workRoot } from '../harness/paths.mjs';
import { clock, storageModules } from './storage-modules.mjs';

// The same driver build the storage-sqlite plugin picks for this Node (see sqlite-driver.ts).
const BetterSqlite3 = createRequire(import.meta.url)(Number(process.versions.node.split('.')[0]) >= 22 ? 'better-sqlite3-napi' : 'better-sqlite3');

const SESSIONS = 1_000;
const PER_SESSION = 1_000;
const CALLS_PER_RUN = 2_000;
const LIMIT = 50;

/** The cached million-message database for this schema, generating it if needed. */
async function millionMessages({ openSqlite, createSqlStores, migrate, schemaKey }) {
  const dir = join(workRoot, 'storage-history');
  const file = join(dir, `history-1m-${schemaKey}.db`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  for (const old of readdirSync(dir)) rmSync(join(dir, old), { force: true });
  const building = `${file}.building`;
  const backend = openSqlite({ file: building, busyTimeoutMs: 5_000, synchronous: 'normal' });
  const sessionIds = [];
  try {
    await migrate(backend);
    const { sessions } = createSqlStores(backend, clock);
    for (let s = 0; s < SESSIONS; s++) sessionIds.push((await sessions.create({ agentId: 'bench', channel: 'telegram', key: `bench:telegram:${s}` })).id);
  } finally {
    await backend.close();
  }
  const raw = new BetterSqlite3(building);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = OFF');
  const insert = raw.prepare('INSERT INTO messages (id, session_id, seq, role, content, attachments, tool_calls, tool_results, metadata, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const base = Date.UTC(2025, 0, 1);
  const fill = raw.transaction(() => {
    let n = 0;
    for (let turn = 1; turn <= PER_SESSION; turn++) {
      for (const sessionId of sessionIds) {
        n++;
        const id = `${(base + n).toString(16).padStart(12, '0').replace(/^(.{8})(.{4})$/, '$1-$2')}-7000-8000-${n.toString(16).padStart(12, '0')}`;
        insert.run(id, sessionId, turn, turn % 2 ? 'user' : 'assistant', `Turn ${turn}: here is what I found about the deployment, in a sentence or two.`, '[]', '[]', '[]', `{"turn":${turn}}`, base + n);
      }
    }
  });
  fill();
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
  renameSync(building, file);
  return file;
}

export default {
  results: [
    {
      name: 'storage-history',
      unit: 'ms',
      what: `history(${LIMIT}) on SQLite holding ${SESSIONS * PER_SESSION} messages (${SESSIONS} interleaved sessions), decoded, p50 of ${CALLS_PER_RUN} calls on random sessions (median over runs); baseline: the raw better-sqlite3 query for the same rows`,
      target: { on: 'value', max: 1 },
    },
  ],
  async run({ runs }) {
    const modules = await storageModules();
    // A schema change makes a new file, so the cached one never outlives the schema it was made for.
    const schemaKey = createHash('sha256').update(JSON.stringify(modules.coreMigrations)).digest('hex').slice(0, 12);
    const file = await millionMessages({ ...modules, schemaKey });
    const backend = modules.openSqlite({ file, busyTimeoutMs: 5_000, synchronous: 'full' });
    const raw = new BetterSqlite3(file, { readonly: true });
    try {
      const { sessions } = modules.createSqlStores(backend, clock);
      const ids = raw.prepare('SELECT id FROM sessions').all().map((r) => r.id);
      if (ids.length !== SESSIONS) throw new Error(`storage-history: expected ${SESSIONS} sessions in ${file}, found ${ids.length}`);
      const query = raw.prepare('SELECT * FROM messages WHERE session_id = ? ORDER BY seq DESC LIMIT ?');
      const ours = async (id) => {
        const messages = await sessions.history(id, LIMIT);
        if (messages.length !== LIMIT) throw new Error(`storage-history: got ${messages.length} messages`);
      };
      const bare = async (id) => query.all(id, LIMIT).reverse();
      const sample = async (call) => {
        const times = [];
        for (let i = 0; i < CALLS_PER_RUN; i++) {
          const id = ids[Math.floor(Math.random() * ids.length)];
          const started = performance.now();
          await call(id);
          times.push(performance.now() - started);
        }
        return median(times);
      };
      const values = [];
      const baselines = [];
      for (let round = 0; round < runs + 1; round++) {
        const [a, b] = round % 2 === 0 ? [await sample(ours), await sample(bare)] : [await sample(bare), await sample(ours)].reverse();
        if (round === 0) continue;
        values.push(a);
        baselines.push(b);
      }
      return { 'storage-history': { values, baselines }, notes: [`history(${LIMIT}) p50: store ${median(values).toFixed(3)} ms, raw query ${median(baselines).toFixed(3)} ms`] };
    } finally {
      raw.close();
      await backend.close();
    }
  },
};
