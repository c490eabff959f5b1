/** Store metadata holds any JSON; the API's metadata maps hold text, so other values go as JSON. */
export function toProtoMetadata(metadata: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata ?? {})) {
    if (value === undefined) continue;
    result[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return result;
}

export function toDate(ms: number | undefined): Date | undefined {
  return ms === undefined ? undefined : new Date(ms);
}

/** Empty strings are proto3's "not set". */
export function orUndefined(text: string): string | undefined {
  return text === '' ? undefined : text;
}
