// How a number appears to people, in the console and in the docs alike, so the two agree.
export function formatAmount(amount, unit) {
  return `${amount.toFixed(unit === 'ms' || unit === 'MB' ? 1 : 2)} ${unit}`;
}
