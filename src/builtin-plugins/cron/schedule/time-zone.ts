/**
 * Answers per zone name. Building an Intl.DateTimeFormat costs about a millisecond, which 10,000
 * jobs would pay at every start; the answer never changes within a process, so sharing it
 * between kernels is safe. Bounded by the number of names people write (a few hundred exist).
 */
const CANONICAL = new Map<string, string | null>();

/** The runtime's name for an IANA time zone (`europe/berlin` → `Europe/Berlin`); undefined when it does not know it. */
export function canonicalTimeZone(zone: string): string | undefined {
  let known = CANONICAL.get(zone);
  if (known === undefined) {
    try {
      known = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    } catch {
      known = null;
    }
    if (CANONICAL.size < 10_000) CANONICAL.set(zone, known);
  }
  return known ?? undefined;
}

/** Whether the runtime knows this IANA time zone (`Europe/Berlin`, `UTC`). */
export function isKnownTimeZone(zone: string): boolean {
  return canonicalTimeZone(zone) !== undefined;
}

/** The host's time zone, the last fallback when neither the job nor `user.timezone` names one. */
export function hostTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** `2026-03-29 03:00:00 Europe/Berlin`: a UTC instant as wall-clock time in a zone, for messages and `status`. */
export function formatInZone(ms: number, zone: string): string {
  return `${new Date(ms).toLocaleString('sv-SE', { timeZone: zone, hour12: false })} ${zone}`;
}
