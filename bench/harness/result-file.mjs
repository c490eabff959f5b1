// Turns samples into the published record and stores it as bench/results/<name>.json. The
// record has exactly these fields so tools reading it need no knowledge of the harness.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median } from './median.mjs';
import { resultsDir } from './paths.mjs';

const round = (n, digits) => Math.round(n * 10 ** digits) / 10 ** digits;

export function makeResult({ name, unit, values, baselines, baselineConstant }) {
  const value = median(values);
  const baseline = baselineConstant ?? median(baselines);
  return {
    name,
    unit,
    value: round(value, 2),
    baseline: round(baseline, 2),
    ratio: round(value / baseline, 3),
    runs: values.length,
    node: process.version,
    date: new Date().toISOString(),
  };
}

export function writeResult(result) {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${result.name}.json`), `${JSON.stringify(result, null, 2)}\n`);
}

/** Every stored result by name, including ones from earlier runs that this run skipped. */
export function readResults() {
  const results = new Map();
  let files = [];
  try {
    files = readdirSync(resultsDir).filter((f) => f.endsWith('.json'));
  } catch {
    return results;
  }
  for (const file of files) {
    const result = JSON.parse(readFileSync(join(resultsDir, file), 'utf8'));
    results.set(result.name, result);
  }
  return results;
}
