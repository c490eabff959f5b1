import satisfies from 'semver/functions/satisfies.js';

// Remembered per (version, range) for the life of the process: parsing a range takes semver some
// 20 µs, and a thousand installed plugins mostly repeat the same few `engines.nexus` ranges.
// Bounded, so a process that plans again and again never grows it past a few thousand entries.
const MAX_REMEMBERED = 4096;
const remembered = new Map<string, boolean>();

/** Whether `version` is in `range`, pre-releases included. */
export function versionSatisfies(version: string, range: string): boolean {
  const key = `${version} ${range}`;
  let result = remembered.get(key);
  if (result === undefined) {
    result = satisfies(version, range, { includePrerelease: true });
    if (remembered.size < MAX_REMEMBERED) remembered.set(key, result);
  }
  return result;
}
