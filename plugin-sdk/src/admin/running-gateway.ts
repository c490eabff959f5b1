import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What `nexus serve` records in `$NEXUS_HOME/nexus.pid` while it runs (removed on exit). */
export interface RunningGateway {
  readonly pid: number;
  readonly config: string | null;
  readonly startedAt: string;
  /** The HTTP server's URL (`http://host:port`), where `nexus status` asks. Absent in files written before it was recorded. */
  readonly http?: string;
}

/** `$NEXUS_HOME/nexus.pid`. */
export function gatewayPidFile(home: string): string {
  return join(home, 'nexus.pid');
}

/**
 * The gateway recorded in the pid file, if its process is still alive; undefined when there is
 * no file, it is unreadable, or its process is gone (a stale file after a crash).
 */
export function readRunningGateway(home: string): RunningGateway | undefined {
  let record: RunningGateway;
  try {
    record = JSON.parse(readFileSync(gatewayPidFile(home), 'utf8')) as RunningGateway;
  } catch {
    return undefined;
  }
  // 0 or a negative pid would signal a whole process group: never trust such a file.
  if (typeof record !== 'object' || record === null || !Number.isInteger(record.pid) || record.pid <= 0) return undefined;
  return isProcessAlive(record.pid) ? record : undefined;
}

/**
 * Whether a process with this id exists. One we may not signal (EPERM: another user's) still
 * runs; ESRCH means it is gone. Signal 0 checks without signalling.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
