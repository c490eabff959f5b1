// Indexing the memory files into SQLite (WAL, synchronous=full, the storage default), lexical only:
// - full: 1000 generated files (10,000 chunks) into an empty database; baseline: the same chunks,
//   already cut, inserted by better-sqlite3 into the same schema in one transaction;
// - incremental: one of those files edited (a line appended), then an index run; baseline: a stat
//   of every memory file, the floor of any run that has to notice which file changed.
import { appendFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { median } from '../harness/median.mjs';
import { makeWorkDir } from '../harness/work-dir.mjs';
import { clock, memoryModules, memorySection, writeCorpus } from './memory-modules.mjs';

const EDITS_PER_RUN = 20;

async function freshDatabase(modules, file) {
  const sql = modules.sqliteTestClient(file);
  sql.raw.pragma('synchronous = FULL');
  await modules.applyMigrations(sql);
  return sql;
}

export default {
  results: [
    {
      name: 'memory-index-full',
      unit: 'ms',
      what: 'memory index of 1000 generated Markdown files (10,000 chunks) into an empty SQLite database, lexical only (median over runs); baseline: better-sqlite3 inserting the same chunks, already cut, into the same tables and FTS5 index in one transaction',
    },
    {
      name: 'memory-index-incremental',
      unit: 'ms',
      what: `memory index after one of those 1000 files changed (a line appended), p50 of ${EDITS_PER_RUN} edits per run; baseline: a stat of every memory file`,
      target: { on: 'value', max: 50 },
      whenMissed: 'an index run lists the memory folders, stats every file and reads the index rows of every file before it knows which one changed; on a machine shared with other work those thousand file-system calls dominate (the baseline is the stats alone).',
    },
  ],
  async run({ runs }) {
    const modules = await memoryModules();
    const chunking = await (await import('jiti')).createJiti(import.meta.url).import(join(import.meta.dirname, '../../src/builtin-plugins/memory/chunking/index.ts'));
    const dir = makeWorkDir('memory-index');
    const { paths } = writeCorpus(dir);
    const settings = modules.readMemorySettings(memorySection(), { hostTimeZone: 'UTC' });
    const full = { values: [], baselines: [] };
    const incremental = { values: [], baselines: [] };
    // Full indexing is seconds per run; three runs give a stable median.
    const fullRuns = Math.min(runs, 3);
    for (let run = 0; run < fullRuns; run++) {
      const sql = await freshDatabase(modules, join(dir, `ours-${run}.db`));
      try {
        const engine = await modules.MemoryEngine.open({ sql, workspaceDir: dir, settings, clock });
        const started = performance.now();
        const report = await engine.index();
        full.values.push(performance.now() - started);
        if (report.chunks.added !== 10_000) throw new Error(`memory-index: expected 10000 chunks, got ${report.chunks.added}`);
      } finally {
        await sql.close();
      }
      const raw = await freshDatabase(modules, join(dir, `bare-${run}.db`));
      try {
        const { readFileSync } = await import('node:fs');
        const cut = paths.map((path) => ({ path, chunks: chunking.chunkMarkdown(readFileSync(join(dir, path), 'utf8'), settings.chunking) }));
        const file = raw.raw.prepare('INSERT INTO memory_files (path, kind, hash, size, mtime_ms, evergreen, file_date, chunking, indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
        const chunk = raw.raw.prepare('INSERT INTO memory_chunks (path, seq, hash, start_line, end_line, text) VALUES (?, ?, ?, ?, ?, ?)');
        const started = performance.now();
        raw.raw.transaction(() => {
          for (const { path, chunks } of cut) {
            file.run(path, 'daily', 'h', 1, 1, 0, null, 'k', 1);
            for (const c of chunks) chunk.run(path, c.seq, c.hash, c.startLine, c.endLine, c.text);
          }
        })();
        full.baselines.push(performance.now() - started);
      } finally {
        await raw.close();
      }
    }

    const sql = await freshDatabase(modules, join(dir, 'incremental.db'));
    try {
      const engine = await modules.MemoryEngine.open({ sql, workspaceDir: dir, settings, clock });
      await engine.index();
      let edit = 0;
      for (let round = 0; round < runs + 1; round++) {
        const times = [];
        const stats = [];
        for (let i = 0; i < EDITS_PER_RUN; i++) {
          const path = join(dir, paths[(edit * 37) % paths.length]);
          appendFileSync(path, `\nEdit ${edit++}: a new line at the end of the file.\n`);
          const started = performance.now();
          const report = await engine.index();
          times.push(performance.now() - started);
          if (report.files.changed !== 1) throw new Error(`memory-index: expected 1 changed file, got ${report.files.changed}`);
          const bare = performance.now();
          for (const p of paths) statSync(join(dir, p));
          stats.push(performance.now() - bare);
        }
        if (round === 0) continue;
        incremental.values.push(median(times));
        incremental.baselines.push(median(stats));
      }
    } finally {
      await sql.close();
    }
    return { 'memory-index-full': full, 'memory-index-incremental': incremental };
  },
};
