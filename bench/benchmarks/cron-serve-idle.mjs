// Idle cost of the cron plugin inside `nexus serve`: the whole server (default plugins, SQLite)
// with 10,000 cron jobs in its config file, none due for hours, against the same server with
// none (the plugin then keeps no scheduler, only a once-a-minute check for stored jobs). After
// the server printed its addresses and logged that it schedules the jobs: CPU time (user +
// system, every thread, from /proc) over 61 s of idling (one wake-up of each), then RSS. The jobs are daily cron expressions
// (`<minute> <hour> * * *` in UTC) twelve hours from now, so none falls due while measured.
// Rounds alternate the two sides so load drifts hit both.
//
// Run on its own: `node bench/benchmarks/cron-serve-idle.mjs` (after `npm run build`).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median } from '../harness/median.mjs';
import { makeWorkDir } from '../harness/work-dir.mjs';
import { rssOf, startServe } from './gateway-process.mjs';

const JOBS = 10_000;
// A minute and a bit: the scheduler wakes at least once a minute (maxSleepMs), the dormant check once a minute.
const IDLE_MS = 61_000;
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
    await sleep(1000);
    const before = cpuMsOf(serve.pid);
    await sleep(IDLE_MS);
    const cpuMs = cpuMsOf(serve.pid) - before;
    return { cpuMs, rssMB: rssOf(serve.pid) / MB, readyMs };
  } finally {
    await serve.stop();
  }
}

const benchmark = {
  results: [
    {
      name: 'cron-serve-idle-cpu-10k',
      unit: 'ms',
      what: `CPU time (user + system) over ${IDLE_MS / 1000} s of \`nexus serve\` with ${JOBS} daily cron jobs in its config, none due; baseline: the same server with no job`,
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
