import { rmSync } from 'node:fs';
import { gatewayPidFile, readRunningGateway } from '@nexus/plugin-sdk';
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
  return gatewayPidFile(home);
}

/**
 * The running gateway recorded in the pid file, if its process is still alive. The SDK's
 * `readRunningGateway` is the one reader, so the CLI and plugins (`nexus channels status`) agree.
 */
export function readRunning(home: string): PidRecord | undefined {
  return readRunningGateway(home);
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
