import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomically } from './atomic-write.js';

export interface PidRecord {
  readonly pid: number;
  readonly config: string | null;
  readonly startedAt: string;
  /** The HTTP server's URL, where `nexus status` asks the gateway (`RunningGateway` in the SDK reads the same file). */
  readonly http?: string;
}

/** `$NEXUS_HOME/nexus.pid`: how `nexus config reload` finds the running gateway. */
export function pidFile(home: string): string {
  return join(home, 'nexus.pid');
}

/** The running gateway recorded in the pid file, if its process is still alive. */
export function readRunning(home: string): PidRecord | undefined {
  let record: PidRecord;
  try {
    record = JSON.parse(readFileSync(pidFile(home), 'utf8')) as PidRecord;
  } catch {
    return undefined;
  }
  // 0 or a negative pid would signal a whole process group: never trust such a file.
  if (!Number.isInteger(record.pid) || record.pid <= 0) return undefined;
  try {
    process.kill(record.pid, 0);
    return record;
  } catch (error) {
    // EPERM: alive but someone else's; ESRCH: gone, the file is stale.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? record : undefined;
  }
}

export function writePidFile(home: string, record: PidRecord): void {
  writeAtomically(pidFile(home), JSON.stringify(record));
}

export function removePidFile(home: string, pid: number): void {
  const current = readRunning(home);
  if (!current || current.pid === pid) rmSync(pidFile(home), { force: true });
}

/** Where the gateway reports the outcome of its last reload, for `nexus config reload`. */
export function reloadStatusFile(home: string): string {
  return join(home, 'reload-status.json');
}
