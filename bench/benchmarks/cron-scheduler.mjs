// The cron scheduler, driven from the build (dist/builtin-plugins/cron/engine.js) in fresh child
// processes (bench/children/cron-scheduler.mjs), on a SQLite file as the default store uses it.
//
// - Firing lateness: 1,000 one-shot jobs fall due within one second (1 ms apart) with the real
//   clock; each run records its start minus its scheduled time. The p99 and p50 of one process
//   are its sample; the published value is the median over runs. Every run claims its row, and
//   records its outcome, in SQLite (WAL, synchronous=full, the default; the -normal variant
//   shows what the fsync per commit costs). Baseline: one bare setTimeout per instant, the same
//   instants, the same measure: what Node's timers alone give on this machine at that moment.
// - Idle cost: a scheduler holding 10,000 jobs, none due, against one holding none: CPU time over
//   5 s, then RSS and V8 heap in use after a GC. The scheduler wakes every second here (60 times its
//   default), so the CPU number is an upper bound; what matters is that it does not grow with
//   the number of jobs (one timer, a heap: nothing looks at a job until it is due).
//
// Run on its own: `node bench/benchmarks/cron-scheduler.mjs` (after `npm run build`).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { childEnv } from '../harness/child-env.mjs';
import { median } from '../harness/median.mjs';
import { pairedRuns } from '../harness/paired-runs.mjs';
import { benchDir, distDir } from '../harness/paths.mjs';
import { timedSpawn } from '../harness/timed-spawn.mjs';
import { makeWorkDir } from '../harness/work-dir.mjs';

const JOBS_DUE = 1_000;
const JOBS_IDLE = 10_000;
const child = join(benchDir, 'children', 'cron-scheduler.mjs');
const engine = join(distDir, 'builtin-plugins', 'cron', 'engine.js');

function measure(dir, mode, extra = {}) {
  const args = JSON.stringify({ engine, dir, mode, ...extra });
  const { stdout } = timedSpawn(process.execPath, ['--expose-gc', child, args], { env: childEnv() });
  const report = JSON.parse(stdout.trim().split('\n').at(-1));
  if (mode !== 'idle' && report.executed !== extra.jobs) throw new Error(`cron bench: ${mode} ran ${report.executed} of ${extra.jobs} runs`);
  if (mode === 'lateness' && report.outcomes.ok !== extra.jobs) throw new Error(`cron bench: outcomes ${JSON.stringify(report.outcomes)}, expected ${extra.jobs} ok`);
  if (mode === 'idle' && report.jobs !== extra.jobs) throw new Error(`cron bench: the idle scheduler held ${report.jobs} jobs, expected ${extra.jobs}`);
  return report;
}

const benchmark = {
  results: [
    {
      name: 'cron-lateness-p99',
      unit: 'ms',
      what: `p99 of run start minus scheduled time, ${JOBS_DUE} one-shot jobs due within one second, real clock, each run claimed and recorded in SQLite (synchronous=full); baseline: p99 of ${JOBS_DUE} bare setTimeout timers for the same instants`,
      target: { on: 'value', max: 100 },
    },
    { name: 'cron-lateness-p50', unit: 'ms', what: 'the median lateness of the same runs; baseline: the bare timers’ median' },
    { name: 'cron-lateness-p99-sqlite-normal', unit: 'ms', what: 'p99 of the same measurement with SQLite at synchronous=normal (no fsync per commit); baseline: the bare timers’ p99' },
    {
      name: 'cron-idle-cpu-10k',
      unit: 'ms',
      what: `CPU time over 5 s of a scheduler process holding ${JOBS_IDLE} jobs, none due, waking every second (60× its default); baseline: the same with 0 jobs`,
      target: { on: 'ratio', max: 1.5 },
    },
    { name: 'cron-idle-rss-10k', unit: 'MB', what: `RSS (MiB) of a scheduler process holding ${JOBS_IDLE} jobs, none due, idle for 5 s, after a GC; baseline: the same with 0 jobs` },
    { name: 'cron-idle-heap-10k', unit: 'MB', what: `V8 heap in use (MiB) of the same processes: what the jobs themselves take (RSS also keeps memory V8 freed after start-up, when each job's expression was compiled to check it); baseline: 0 jobs` },
  ],
  run({ runs }) {
    const dir = makeWorkDir('cron');
    const full = pairedRuns({ runs, ours: () => measure(dir, 'lateness', { jobs: JOBS_DUE, synchronous: 'full' }), baseline: () => measure(dir, 'timers', { jobs: JOBS_DUE }) });
    const normal = pairedRuns({ runs, ours: () => measure(dir, 'lateness', { jobs: JOBS_DUE, synchronous: 'normal' }), baseline: () => measure(dir, 'timers', { jobs: JOBS_DUE }) });
    const idle = pairedRuns({ runs, ours: () => measure(dir, 'idle', { jobs: JOBS_IDLE, synchronous: 'full' }), baseline: () => measure(dir, 'idle', { jobs: 0, synchronous: 'full' }) });
    const pick = (samples, key) => ({ values: samples.values.map((s) => s[key]), baselines: samples.baselines.map((s) => s[key]) });
    const results = {
      'cron-lateness-p99': pick(full, 'p99'),
      'cron-lateness-p50': pick(full, 'p50'),
      'cron-lateness-p99-sqlite-normal': pick(normal, 'p99'),
      'cron-idle-cpu-10k': pick(idle, 'cpuMs'),
      'cron-idle-rss-10k': pick(idle, 'rssMB'),
      'cron-idle-heap-10k': pick(idle, 'heapMB'),
    };
    const notes = [
      `lateness p99 / p50 / max (median of runs): ${median(full.values.map((s) => s.p99))} / ${median(full.values.map((s) => s.p50))} / ${median(full.values.map((s) => s.max))} ms; bare timers ${median(full.baselines.map((s) => s.p99))} / ${median(full.baselines.map((s) => s.p50))} ms`,
      `idle: ${JOBS_IDLE} jobs ${median(idle.values.map((s) => s.cpuMs)).toFixed(1)} ms CPU, RSS ${median(idle.values.map((s) => s.rssMB)).toFixed(1)} MB, heap ${median(idle.values.map((s) => s.heapMB)).toFixed(1)} MB; 0 jobs ${median(idle.baselines.map((s) => s.cpuMs)).toFixed(1)} ms, RSS ${median(idle.baselines.map((s) => s.rssMB)).toFixed(1)} MB, heap ${median(idle.baselines.map((s) => s.heapMB)).toFixed(1)} MB`,
    ];
    return { ...results, notes };
  },
};

export default benchmark;

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { removeWorkDirs } = await import('../harness/work-dir.mjs');
  try {
    const samples = benchmark.run({ runs: Number(process.env.BENCH_RUNS ?? 3) });
    for (const meta of benchmark.results) {
      const { values, baselines } = samples[meta.name];
      console.log(`${meta.name}: ${median(values)} ${meta.unit} (baseline ${median(baselines)}) values ${JSON.stringify(values)} baselines ${JSON.stringify(baselines)}`);
    }
    for (const note of samples.notes) console.log(note);
  } finally {
    removeWorkDirs();
  }
}
