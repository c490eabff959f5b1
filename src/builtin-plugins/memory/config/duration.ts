const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)$/;

/** Milliseconds of a config duration such as `1.5s`, `30d` or `250ms`; undefined when it does not parse. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  return Math.round(Number.parseFloat(match[1]!) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
}
