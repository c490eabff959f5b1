#!/usr/bin/env node
// `npm run bench [name…]`: runs the benchmarks (all, or those named), writes
// bench/results/<name>.json, prints a summary and regenerates docs/benchmarks.md.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { benchmarks } from './benchmarks/index.mjs';
import { buildFingerprint, requiredFiles, waitForStableBuild } from './harness/build-guard.mjs';
import { makeResult, readResults, writeResult } from './harness/result-file.mjs';
import { runCount } from './harness/run-count.mjs';
import { removeWorkDirs } from './harness/work-dir.mjs';
import { writeDocs } from './report/docs.mjs';
import { describeMachine } from './report/machine.mjs';
import { printSummary } from './report/summary.mjs';

const catalog = benchmarks.flatMap((b) => b.results);
const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !catalog.some((meta) => meta.name === name));
if (unknown.length > 0) {
  console.error(`bench: unknown benchmark ${unknown.join(', ')}; known: ${catalog.map((m) => m.name).join(', ')}`);
  process.exit(2);
}

// The benchmarks measure the build; measuring a stale or missing one would publish nonsense.
const missing = requiredFiles.filter((file) => !existsSync(file));
if (missing.length > 0) {
  console.error(`bench: the build is missing (${missing.join(', ')}); run \`npm run build\` first`);
  process.exit(1);
}

let runs;
try {
  runs = runCount();
} catch (error) {
  console.error(`bench: ${error.message}`);
  process.exit(2);
}
const selected = requested.length === 0 ? benchmarks : benchmarks.filter((b) => b.results.some((meta) => requested.includes(meta.name)));
const MAX_ATTEMPTS = 3;
const loadAtStart = loadavg();
const rows = [];
let failed = false;

// Ctrl-C while a child runs: still remove the scratch folders.
process.on('SIGINT', () => {
  removeWorkDirs();
  process.exit(130);
});

/** Runs one benchmark against a single, settled build; a rebuild during it means a rerun. */
async function measure(benchmark, names) {
  for (let attempt = 1; ; attempt++) {
    const build = await waitForStableBuild();
    let samples;
    let error;
    try {
      samples = await benchmark.run({ runs });
    } catch (caught) {
      error = caught;
    } finally {
      removeWorkDirs();
    }
    if (buildFingerprint() === build) {
      if (error) throw error;
      return samples;
    }
    if (attempt === MAX_ATTEMPTS) throw new Error(`dist/ was rebuilt during each of ${MAX_ATTEMPTS} attempts; run the benchmarks when no build is running`);
    console.log(`  dist/ changed during ${names}; measuring again (attempt ${attempt + 1} of ${MAX_ATTEMPTS})`);
  }
}

try {
  for (const benchmark of selected) {
    const names = benchmark.results.map((meta) => meta.name).join(', ');
    console.log(`bench: ${names} …`);
    const started = performance.now();
    try {
      const samples = await measure(benchmark, names);
      if (samples.skipped) {
        console.log(`bench: ${names} skipped (${samples.skipped}); its previous result, if any, stays`);
        continue;
      }
      for (const meta of benchmark.results) {
        const result = makeResult({ name: meta.name, unit: meta.unit, ...samples[meta.name] });
        writeResult(result);
        rows.push({ meta, result });
      }
      for (const note of samples.notes ?? []) console.log(`  ${note}`);
      console.log(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      failed = true;
      console.error(`bench: ${names} failed: ${error.stack ?? error}`);
    }
  }
} finally {
  removeWorkDirs();
}

if (rows.length > 0) printSummary(rows);
writeDocs(catalog, readResults(), { machine: describeMachine(loadAtStart), date: new Date().toISOString(), ran: rows.map((r) => r.result.name) });
console.log('\nbench: wrote bench/results/ and docs/benchmarks.md');
process.exitCode = failed ? 1 : 0;
