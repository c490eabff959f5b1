// Idle cost of the cron plugin inside `nexus serve`: the whole server (default plugins, SQLite)
// with 10,000 cron jobs in its config file, none due for hours, against the same server with
// none (the plugin then loads no scheduler and holds no timer). Idle starts once the server has
// settled: it printed its addresses, logged that it schedules the jobs, and then SETTLE_MS
// passed, so start-up's own work is not counted: the scheduler's first pass, the batched write
// of each job's next run, and above all V8's memory reducer. That one runs three full garbage
// collections once start-up has stopped allocating, when it finds the process idle for 8 s or,
// failing that, by its watchdog 100 s after the last full collection; their cost grows with the
// heap, so with the number of jobs (some 250 ms with 10,000), but they happen once per start,
// not while idle. A window that began 1 s after start-up measured them on one side or the other
// (the 4.9x once reported; with a 30 or 60 s settling time, either side still caught them).
// Then: CPU time (user + system, every thread, from /proc) over 61 s of idling (one wake-up of
// the scheduler, which sleeps at most a minute), then RSS. The notes also give the CPU spent
// while settling. The jobs are daily cron expressions (`<minute> <hour> * * *` in UTC) twelve
// hours from now, so none falls due while measured. Rounds alternate the two sides so load
// drifts hit both.
//
// Run on its own: `node bench/benchmarks/cron-serve-idle.mjs` (after `npm run build`).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median } from '../harness/median.mjs';
import { makeWorkDir } from '../harness/work-dir.mjs';
import { rssOf, startServe } from './gateway-process.mjs';

const JOBS = 10_000;
// A minute and a bit: the scheduler wakes at least once a minute (maxSleepMs).
const IDLE_MS = 61_000;
// Past the memory reducer's watchdog (see above), with a margin for a loaded machine.
const SETTLE_MS = 110_000;
const MB = 1024 * 1024;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * CPU time of a live process in ms, every thread's (Linux /proc/<pid>/task/<tid>/schedstat, in
 * ns): an idle server uses less than the 10 ms ticks /proc/<pid>/stat counts in.
 */
function cpuMsOf(pid) {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return ns / 1e6;
}

function cronJobs(count) {
  const hour = (new Date().getUTCHours() + 12) % 24;
  const jobs = {};
  for (let i = 0; i < count; i++) {
    jobs[`job-${i}`] = { type: 'webhook', schedule: { cron: `${i % 60} ${hour} * * *`, timezone: 'UTC' }, webhook: { url: `http://127.0.0.1:9/hook/${i}` } };
  }
  return jobs;
}

async function measure(dir, jobs) {
  const config = { server: { grpc_port: 0, http_port: 0 }, ...(jobs > 0 ? { cron: { jobs: cronJobs(jobs) } } : {}) };
  const started = performance.now();
  // Validating and compiling 10,000 jobs takes a while on a loaded machine: allow for it.
  const serve = await startServe(dir, config, { readyTimeoutMs: 180_000 });
  const readyMs = performance.now() - started;
  try {
    // The scheduler starts in a task after readiness; wait until its first pass is done.
    const waiting = Date.now();
    while (Date.now() - waiting < 120_000) {
      if (jobs === 0 || serve.stderr().includes(`cron: scheduling ${jobs} job(s)`)) break;
      await sleep(50);
    }
    if (jobs > 0 && !serve.stderr().includes(`cron: scheduling ${jobs} job(s)`)) throw new Error(`cron bench: serve did not schedule ${jobs} jobs within 120 s\n${serve.stderr().slice(-2000)}`);
    const settling = cpuMsOf(serve.pid);
    await sleep(SETTLE_MS);
    const settleCpuMs = cpuMsOf(serve.pid) - settling;
    const before = cpuMsOf(serve.pid);
    await sleep(IDLE_MS);
    const cpuMs = cpuMsOf(serve.pid) - before;
    return { cpuMs, settleCpuMs, rssMB: rssOf(serve.pid) / MB, readyMs };
  } finally {
    await serve.stop();
  }
}

const benchmark = {
  results: [
    {
      name: 'cron-serve-idle-cpu-10k',
      unit: 'ms',
      what: `CPU time (user + system) over ${IDLE_MS / 1000} s of \`nexus serve\` idling with ${JOBS} daily cron jobs in its config, none due, from ${SETTLE_MS / 1000} s after it scheduled them; baseline: the same server with no job`,
      target: { on: 'ratio', max: 1.5 },
    },
    { name: 'cron-serve-idle-rss-10k', unit: 'MB', what: `RSS (MiB) of the same servers after the idle period; baseline: no job` },
  ],
  async run({ runs }) {
    const root = makeWorkDir('cron-serve');
    const values = [];
    const baselines = [];
    for (let round = 0; round < runs; round++) {
      const order = round % 2 === 0 ? [JOBS, 0] : [0, JOBS];
      const samples = {};
      for (const jobs of order) samples[jobs] = await measure(join(root, `run-${round}-${jobs}`), jobs);
      values.push(samples[JOBS]);
      baselines.push(samples[0]);
    }
    const pick = (key) => ({ values: values.map((s) => s[key]), baselines: baselines.map((s) => s[key]) });
    return {
      'cron-serve-idle-cpu-10k': pick('cpuMs'),
      'cron-serve-idle-rss-10k': pick('rssMB'),
      notes: [
        `serve idle over ${IDLE_MS / 1000} s: ${JOBS} jobs ${median(values.map((s) => s.cpuMs))} ms CPU, RSS ${median(values.map((s) => s.rssMB)).toFixed(1)} MB; no job ${median(baselines.map((s) => s.cpuMs))} ms, RSS ${median(baselines.map((s) => s.rssMB)).toFixed(1)} MB`,
        `settling (the ${SETTLE_MS / 1000} s before the idle window: start-up's last writes, the memory reducer's collections): ${JOBS} jobs ${Math.round(median(values.map((s) => s.settleCpuMs)))} ms CPU, no job ${Math.round(median(baselines.map((s) => s.settleCpuMs)))} ms`,
        `serve printed its addresses after ${Math.round(median(values.map((s) => s.readyMs)))} ms with ${JOBS} jobs, ${Math.round(median(baselines.map((s) => s.readyMs)))} ms with none`,
      ],
    };
  },
};

export default benchmark;

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { removeWorkDirs } = await import('../harness/work-dir.mjs');
  try {
    const samples = await benchmark.run({ runs: Number(process.env.BENCH_RUNS ?? 3) });
    for (const meta of benchmark.results) console.log(`${meta.name}: ${median(samples[meta.name].values)} ${meta.unit} (baseline ${median(samples[meta.name].baselines)})`);
    for (const note of samples.notes) console.log(note);
  } finally {
    removeWorkDirs();
  }
}
