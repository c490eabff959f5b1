import { dirname, resolve } from 'node:path';
import type { ConfigAccess } from '@nexus/plugin-sdk';

/** The `workspace` section, as the kernel hands it over: validated, with the manifest's defaults. */
export interface WorkspaceSettings {
  readonly enabled: boolean;
  readonly path: string;
  readonly max_chars: number;
  readonly agents_file: string;
  readonly soul_file: string;
  readonly user_file: string;
  readonly identity_file: string;
  readonly tools_file: string;
  readonly memory_file: string;
  /** Not a workspace key: the heartbeat checklist is `session.heartbeat.file`, owned by the agent plugin. */
  readonly heartbeat_file: string;
}

/** The seven workspace files, in the order the Go version seeds them. */
export const WORKSPACE_FILE_KINDS = ['agents', 'soul', 'user', 'identity', 'tools', 'heartbeat', 'memory'] as const;
export type WorkspaceFileKind = (typeof WORKSPACE_FILE_KINDS)[number];

export interface WorkspaceFile {
  readonly kind: WorkspaceFileKind;
  /** The setting that names it, for messages: `workspace.agents_file`. */
  readonly setting: string;
  /** The name as configured (`AGENTS.md`, or a path). */
  readonly name: string;
  /** Absolute path. */
  readonly path: string;
}

export function readWorkspaceSettings(config: ConfigAccess): WorkspaceSettings {
  const settings = config.section<Omit<WorkspaceSettings, 'heartbeat_file'>>('workspace');
  // This plugin owns the section and its schema accepts {}, so the kernel always supplies a value;
  // its absence means the host skipped config composition, which no default here could paper over.
  if (!settings) throw new Error('the workspace section has no value: the host did not apply the workspace plugin\'s config schema');
  // One setting names the heartbeat checklist, so setup seeds the file the prompt will read.
  const heartbeat = config.section<{ heartbeat?: { file?: string } }>('session')?.heartbeat?.file;
  return { ...settings, heartbeat_file: heartbeat ?? 'HEARTBEAT.md' };
}

/**
 * The workspace folder. A relative `workspace.path` belongs to the config file that set it, so it
 * resolves against that file's folder; without a file, against the current directory.
 */
export function workspaceDir(settings: WorkspaceSettings, configFile: string | undefined): string {
  return resolve(configFile ? dirname(resolve(configFile)) : process.cwd(), settings.path);
}

/** Each file's configured name and absolute path; absolute names are used as given. */
export function workspaceFiles(settings: WorkspaceSettings, dir: string): WorkspaceFile[] {
  return WORKSPACE_FILE_KINDS.map((kind) => {
    const key = `${kind}_file` as const;
    const name = settings[key];
    return { kind, setting: kind === 'heartbeat' ? 'session.heartbeat.file' : `workspace.${key}`, name, path: resolve(dir, name) };
  });
}
