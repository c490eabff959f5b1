// The table printed at the end of `npm run bench`: this run's results only, so a reader sees
// what was just measured, not numbers left over from earlier runs.
import { describeTarget, verdict } from '../harness/target.mjs';
import { formatAmount } from './format.mjs';

export function printSummary(rows) {
  const header = ['name', 'value', 'baseline', 'ratio', 'target', 'result', 'runs'];
  const lines = rows.map(({ meta, result }) => [
    result.name,
    formatAmount(result.value, result.unit),
    formatAmount(result.baseline, result.unit) + (meta.baselineNote ? ` (${meta.baselineNote})` : ''),
    result.ratio.toFixed(2),
    describeTarget(meta.target, result.unit),
    verdict(meta.target, result),
    String(result.runs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const render = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  console.log(`\n${render(header)}\n${render(widths.map((w) => '-'.repeat(w)))}`);
  for (const line of lines) console.log(render(line));
}
