// How many measured runs each benchmark takes. Shared machines are noisy, so medians come from
// at least 7 runs by default; BENCH_RUNS overrides it (lower values only for quick local checks).
export const DEFAULT_RUNS = 7;

export function runCount(env = process.env) {
  const raw = env.BENCH_RUNS;
  if (raw === undefined || raw === '') return DEFAULT_RUNS;
  const runs = Number(raw);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`BENCH_RUNS must be a positive integer, got "${raw}"`);
  if (runs < DEFAULT_RUNS) console.warn(`bench: BENCH_RUNS=${runs} is below ${DEFAULT_RUNS}; medians will be noisier than the published ones`);
  return runs;
}
