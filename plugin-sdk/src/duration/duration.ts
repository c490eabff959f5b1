const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * The JSON Schema pattern of a duration: one or more `<number><unit>` parts, the number whole or
 * decimal, the unit `ms`, `s`, `m`, `h` or `d`: `250ms`, `1.5s`, `30s`, `5m`, `1h30m`, `7d`.
 * Every duration in Nexus's config, and in plugins' manifests, uses it.
 */
export const DURATION_PATTERN = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h|d))+$';

/** What a message shows as examples of the syntax. */
export const DURATION_EXAMPLES = '30s, 5m, 1h';

const WHOLE = new RegExp(DURATION_PATTERN);
const PART = /([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)/g;

/**
 * Milliseconds of a duration written as DURATION_PATTERN says (`1h30m` → 5,400,000), rounded to
 * a whole millisecond; `undefined` when the text is not one (`5 minutes`, `-1s`, `''`), or too
 * large for a safe integer. Surrounding spaces are ignored.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!WHOLE.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(PART)) total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  const ms = Math.round(total);
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** Thrown by `requireDuration`; the message names the setting, the value and the syntax. */
export class DurationError extends Error {
  constructor(
    readonly setting: string,
    readonly value: unknown,
  ) {
    super(`\`${setting}\`: ${JSON.stringify(value) ?? String(value)} is not a duration; use e.g. ${DURATION_EXAMPLES} (a number and ms, s, m, h or d, parts may be combined: 1h30m)`);
    this.name = 'DurationError';
  }
}

/**
 * The milliseconds of the setting `setting` (a dotted path, for the message), which must be a
 * duration string; throws a DurationError naming the setting otherwise.
 */
export function requireDuration(value: unknown, setting: string): number {
  const ms = typeof value === 'string' ? parseDuration(value) : undefined;
  if (ms === undefined) throw new DurationError(setting, value);
  return ms;
}

/** Milliseconds as the largest whole unit that divides them, for messages: `90000` → `90s`. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms >= UNIT_MS[unit] && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}

/** An elapsed time in whole units, largest first: `7265000` → `2h1m5s`; under a second, `ms`. */
export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  let rest = Math.floor(ms / 1000) * 1000;
  let text = '';
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const amount = Math.floor(rest / UNIT_MS[unit]);
    if (amount > 0) text += `${amount}${unit}`;
    rest -= amount * UNIT_MS[unit];
  }
  return text;
}
