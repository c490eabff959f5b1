import { createHash } from 'node:crypto';

/**
 * The delay a job's top-of-hour runs get, from 0 up to (not including) `maxMs`, in whole seconds.
 * It comes from a hash of the job id, so it is the same on every replica and after every restart.
 */
export function staggerOffset(jobId: string, maxMs: number): number {
  const seconds = Math.floor(maxMs / 1000);
  if (seconds <= 0) return 0;
  const hash = createHash('sha256').update(jobId).digest().readUInt32BE(0);
  return (hash % seconds) * 1000;
}
