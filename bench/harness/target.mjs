// Targets are "field ≤ max" on either the measured value or the ratio to the baseline; this
// is the one place that decides pass or fail, for the console summary and the docs alike.
export function describeTarget(target, unit) {
  if (!target) return '—';
  return target.on === 'ratio' ? `ratio ≤ ${target.max}` : `≤ ${target.max} ${unit}`;
}

export function verdict(target, result) {
  if (!target) return 'info';
  return result[target.on] <= target.max ? 'pass' : 'FAIL';
}
