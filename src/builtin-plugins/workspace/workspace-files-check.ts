import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { inject, injectable } from '@nexus/plugin-sdk';
import { ConfigToken, type ConfigAccess, type DoctorCheck, type DoctorFinding } from '@nexus/plugin-sdk';
import { readWorkspaceSettings, workspaceDir, workspaceFiles, type WorkspaceFile, type WorkspaceSettings } from './workspace-settings.js';

/** The part of the agent plugin's `session` section this check reads. */
interface SessionSettings {
  readonly heartbeat?: { readonly enabled?: boolean; readonly file?: string };
}

const SETUP_HINT = 'run `nexus setup`';

/** `nexus doctor`: are the workspace files there, will they fit in the prompt, is the heartbeat checklist there? */
@injectable()
export class WorkspaceFilesCheck implements DoctorCheck {
  readonly id = 'workspace-files';
  readonly description = 'Checks that the workspace files and the heartbeat checklist exist and fit in the prompt.';

  constructor(@inject(ConfigToken) private readonly config: ConfigAccess) {}

  async run(): Promise<readonly DoctorFinding[]> {
    const settings = readWorkspaceSettings(this.config);
    const dir = workspaceDir(settings, this.config.path);
    const files = workspaceFiles(settings, dir);
    const heartbeat = this.heartbeatFile(dir);
    const findings: DoctorFinding[] = [];
    if (settings.enabled) findings.push(...(await checkWorkspace(settings, dir, files, heartbeat)));
    if (heartbeat !== undefined) {
      const seeded = files.some((f) => f.kind === 'heartbeat' && f.path === heartbeat);
      findings.push(...(await checkHeartbeat(heartbeat, seeded)));
    }
    return findings.length > 0 ? findings : [allGood(settings, dir, files.length, heartbeat)];
  }

  /** The heartbeat checklist's path when heartbeat is on; relative names belong to the workspace. */
  private heartbeatFile(dir: string): string | undefined {
    const heartbeat = this.config.section<SessionSettings>('session')?.heartbeat;
    if (heartbeat?.enabled !== true || !heartbeat.file) return undefined;
    return resolve(dir, heartbeat.file);
  }
}

async function checkWorkspace(settings: WorkspaceSettings, dir: string, files: readonly WorkspaceFile[], heartbeat: string | undefined): Promise<DoctorFinding[]> {
  const folder = await statOrProblem(dir);
  if (folder.problem !== undefined || !folder.stats.isDirectory()) {
    const why = folder.problem ?? 'is not a directory';
    return [{ level: 'error', message: `workspace folder ${dir} ${why}`, hint: 'run `nexus setup` to create it with starter files, or point workspace.path at your workspace' }];
  }

  const findings: DoctorFinding[] = [];
  for (const file of files) {
    const found = await statOrProblem(file.path);
    // The heartbeat check below reports a missing checklist as an error; a warning here would repeat it.
    if (found.problem === 'does not exist' && file.path === heartbeat) continue;
    if (found.problem !== undefined) {
      findings.push({ level: 'warning', message: `workspace file ${file.name} (${file.setting}) ${found.problem}: ${file.path}`, hint: SETUP_HINT });
    } else if (!found.stats.isFile()) {
      findings.push({ level: 'warning', message: `workspace file ${file.path} (${file.setting}) is not a regular file`, hint: `remove it and ${SETUP_HINT}, or set ${file.setting} to another name` });
    } else if (found.stats.size > settings.max_chars) {
      // Bytes bound characters from above, so only a file with more bytes than the limit needs reading.
      const chars = [...(await readFile(file.path, 'utf8'))].length;
      if (chars > settings.max_chars) {
        findings.push({
          level: 'warning',
          message: `workspace file ${file.path} has ${chars} characters, more than workspace.max_chars (${settings.max_chars}); the prompt gets only the first ${settings.max_chars}`,
          hint: 'shorten the file (move old material elsewhere), or raise workspace.max_chars',
        });
      }
    }
  }
  return findings;
}

async function checkHeartbeat(path: string, seededBySetup: boolean): Promise<DoctorFinding[]> {
  const found = await statOrProblem(path);
  if (found.problem === undefined && found.stats.isFile()) return [];
  const why = found.problem ?? 'is not a regular file';
  const fix = seededBySetup ? `${SETUP_HINT} to create it` : 'create it, or point session.heartbeat.file at your checklist';
  return [{ level: 'error', message: `session.heartbeat is enabled, but its checklist ${path} ${why}`, hint: `${fix}, or set session.heartbeat.enabled to false` }];
}

function allGood(settings: WorkspaceSettings, dir: string, count: number, heartbeat: string | undefined): DoctorFinding {
  const parts = settings.enabled
    ? [`workspace ${dir} has all ${count} files, each within workspace.max_chars (${settings.max_chars})`]
    : ['the workspace is disabled (workspace.enabled is false), so its files are not checked'];
  if (heartbeat !== undefined) parts.push(`the heartbeat checklist ${heartbeat} is present`);
  return { level: 'info', message: parts.join('; ') };
}

type Found = { readonly problem: undefined; readonly stats: Stats } | { readonly problem: string };

async function statOrProblem(path: string): Promise<Found> {
  try {
    return { problem: undefined, stats: await stat(path) };
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'ENOENT') return { problem: 'does not exist' };
    if (code === 'ENOTDIR') return { problem: 'does not exist (a folder in its path is a file)' };
    return { problem: `cannot be read: ${message}` };
  }
}
