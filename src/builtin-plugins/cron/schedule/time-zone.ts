/** Whether the runtime knows this IANA time zone (`Europe/Berlin`, `UTC`). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The host's time zone, the last fallback when neither the job nor `user.timezone` names one. */
export function hostTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** `2026-03-29 03:00:00 Europe/Berlin`: a UTC instant as wall-clock time in a zone, for messages and `status`. */
export function formatInZone(ms: number, zone: string): string {
  return `${new Date(ms).toLocaleString('sv-SE', { timeZone: zone, hour12: false })} ${zone}`;
}
