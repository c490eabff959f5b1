// Runs our measurement and its baseline alternately, so drift in machine load (other jobs,
// thermal throttling) hits both sides alike instead of biasing the ratio. Each measurement
// returns one sample of any shape (a number, or a child's whole report). The order flips
// every round so neither side always runs right after the other. Warm-up rounds are run and
// thrown away: they fill the OS file cache and, where the command keeps one, the on-disk index.
export function pairedRuns({ runs, warmup = 1, ours, baseline }) {
  const values = [];
  const baselines = [];
  for (let round = 0; round < warmup + runs; round++) {
    const pair = round % 2 === 0 ? [ours, baseline] : [baseline, ours];
    const [first, second] = pair.map((measure) => measure());
    const [our, base] = round % 2 === 0 ? [first, second] : [second, first];
    if (round < warmup) continue;
    values.push(our);
    baselines.push(base);
  }
  return { values, baselines };
}
