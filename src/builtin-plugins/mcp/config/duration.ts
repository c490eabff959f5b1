const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const;

/** `250ms`, `30s` or `2m` in milliseconds; `undefined` for anything else. */
export function parseDuration(text: string): number | undefined {
  const match = /^([0-9]+)(ms|s|m)$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}
