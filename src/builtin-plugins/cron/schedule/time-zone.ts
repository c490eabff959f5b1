/** The runtime's name for an IANA time zone (`europe/berlin` → `Europe/Berlin`); undefined when it does not know it. */
export function canonicalTimeZone(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
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
