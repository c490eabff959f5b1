import { dirname, resolve } from 'node:path';
import { requireDuration, type ConfigAccess } from '@nexus/plugin-sdk';

/** The `agent` section, validated by this plugin's manifest schema with its defaults. */
export interface AgentSettings {
  readonly max_iterations: number;
  /** `30s`, `500ms`, `2m`. */
  readonly tool_timeout: string;
  readonly history_limit: number;
  readonly event_buffer: number;
  /** What becomes of earlier messages whose turn failed: sent once, as a note, or left out. */
  readonly unanswered_messages: 'include' | 'drop';
}

export interface HeartbeatSettings {
  readonly enabled: boolean;
  readonly file: string;
  readonly mode: 'always' | 'on_demand';
}

/** The keys of the workspace plugin's section the agent's prompt sections read. */
export interface WorkspaceView {
  readonly enabled: boolean;
  /** Absolute. */
  readonly dir: string;
  readonly maxChars: number;
  readonly toolsFile: string;
}

export interface ToolNotesSettings {
  readonly notes?: string;
  readonly notesFile?: string;
}

const AGENT_DEFAULTS: AgentSettings = { max_iterations: 10, tool_timeout: '30s', history_limit: 50, event_buffer: 32, unanswered_messages: 'include' };
const HEARTBEAT_DEFAULTS: HeartbeatSettings = { enabled: false, file: 'HEARTBEAT.md', mode: 'always' };

/** The `agent` settings with `tool_timeout` in milliseconds, as every turn needs them. */
export interface TurnSettings extends AgentSettings {
  readonly toolTimeoutMs: number;
}

export function readAgentSettings(config: ConfigAccess): AgentSettings {
  return { ...AGENT_DEFAULTS, ...config.section<Partial<AgentSettings>>('agent') };
}

/**
 * Every turn reads these; they are worked out once per `agent` section object (a reload brings
 * a new one) instead of merged and parsed again per turn.
 */
const turnSettingsBySection = new WeakMap<object, TurnSettings>();
const NO_SECTION = {};

export function readTurnSettings(config: ConfigAccess): TurnSettings {
  const section = config.section<Partial<AgentSettings>>('agent') ?? NO_SECTION;
  let settings = turnSettingsBySection.get(section);
  if (settings === undefined) {
    const merged = { ...AGENT_DEFAULTS, ...section };
    settings = Object.freeze({ ...merged, toolTimeoutMs: requireDuration(merged.tool_timeout, 'agent.tool_timeout') });
    turnSettingsBySection.set(section, settings);
  }
  return settings;
}

export function readHeartbeatSettings(config: ConfigAccess): HeartbeatSettings {
  return { ...HEARTBEAT_DEFAULTS, ...config.section<{ heartbeat?: Partial<HeartbeatSettings> }>('session')?.heartbeat };
}

export function readToolNotesSettings(config: ConfigAccess): ToolNotesSettings {
  const tools = config.section<{ notes?: string; notes_file?: string }>('tools');
  return { notes: tools?.notes, notesFile: tools?.notes_file };
}

/**
 * The workspace as the workspace plugin defines it, read through its section: a relative path
 * belongs to the config file's folder (the current directory without one). Without that plugin
 * there is no workspace to fall back on, but relative paths still resolve the same way.
 */
export function readWorkspaceView(config: ConfigAccess): WorkspaceView {
  const section = config.section<{ enabled?: boolean; path?: string; max_chars?: number; tools_file?: string }>('workspace');
  const base = config.path ? dirname(resolve(config.path)) : process.cwd();
  return {
    enabled: section?.enabled ?? false,
    dir: resolve(base, section?.path ?? '.'),
    maxChars: section?.max_chars ?? 20_000,
    toolsFile: section?.tools_file ?? 'TOOLS.md',
  };
}
