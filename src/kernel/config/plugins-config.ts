import { dirname, isAbsolute, resolve } from 'node:path';
import type { Diagnostic } from '@nexus/plugin-sdk';
import { hostPaths } from '../host/index.js';
import { describeSchemaErrors, joinPointer, type SchemaCompiler } from '../schema/index.js';
import type { LoadedConfig } from './config-file.js';

export interface PluginEntryConfig {
  readonly enabled?: boolean;
  readonly required?: boolean;
  /** Absolute path of the plugin folder or manifest this entry points at. */
  readonly path?: string;
  /** Present only when the file sets `config` for this entry. */
  readonly config?: unknown;
}

/** The `plugins` section, with defaults applied and paths resolved against the config file. */
export interface PluginsConfig {
  readonly enabled: boolean;
  readonly allow: readonly string[] | undefined;
  readonly deny: readonly string[];
  readonly loadPaths: readonly { readonly path: string; readonly pointer: string }[];
  readonly slots: Readonly<Record<string, string>>;
  readonly entries: Readonly<Record<string, PluginEntryConfig>>;
}

interface RawPlugins {
  enabled?: boolean;
  allow?: string[];
  deny?: string[];
  load?: { paths?: string[] };
  slots?: Record<string, string>;
  entries?: Record<string, { enabled?: boolean; required?: boolean; path?: string; config?: unknown }>;
}

/**
 * Reads and checks `plugins.*`. An invalid section yields error diagnostics and the defaults,
 * so listing and doctoring still work; `serve` refuses to start on kernel-owned errors.
 */
export function readPluginsConfig(
  config: LoadedConfig,
  schemas: SchemaCompiler,
  workspaceDir: string,
): { readonly value: PluginsConfig; readonly diagnostics: readonly Diagnostic[] } {
  const raw = config.data.plugins;
  if (raw === undefined || raw === null) return { value: resolvePaths({}, config, workspaceDir), diagnostics: [] };

  // Validation works on a copy: the schema applies defaults, and the caller's data stays as written.
  const result = schemas.validateFile(hostPaths.configSchema, 'plugins', raw);
  if (!result.valid) {
    const diagnostics = describeSchemaErrors(result.errors, result.value).map((violation): Diagnostic => {
      const pointer = `/plugins${violation.pointer}`;
      return {
        level: 'error',
        code: 'config.invalid',
        message: `${pointer}: ${violation.message}`,
        source: config.locate(pointer, { key: violation.atKey }),
        hint: violation.hint ?? 'see the plugins section in docs/operator-guide.md',
      };
    });
    return { value: resolvePaths(wellTyped(raw), config, workspaceDir), diagnostics };
  }
  return { value: resolvePaths(result.value as RawPlugins, config, workspaceDir), diagnostics: [] };
}

function resolvePaths(section: RawPlugins, config: LoadedConfig, workspaceDir: string): PluginsConfig {
  const base = config.path ? dirname(config.path) : workspaceDir;
  const absolute = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  const entries: Record<string, PluginEntryConfig> = {};
  for (const [id, entry] of Object.entries(section.entries ?? {})) {
    entries[id] = {
      ...(entry.enabled !== undefined ? { enabled: entry.enabled } : {}),
      ...(entry.required !== undefined ? { required: entry.required } : {}),
      ...(entry.path !== undefined ? { path: absolute(entry.path) } : {}),
      ...('config' in entry ? { config: entry.config } : {}),
    };
  }
  return {
    enabled: section.enabled ?? true,
    allow: section.allow,
    deny: section.deny ?? [],
    loadPaths: (section.load?.paths ?? []).map((p, i) => ({ path: absolute(p), pointer: joinPointer('plugins', 'load', 'paths', i) })),
    slots: section.slots ?? {},
    entries,
  };
}

/**
 * The parts of an invalid section that are still well-typed, so one typo does not hide every
 * plugin from `list` and `doctor`. (`serve` refuses to start on the errors regardless.)
 */
function wellTyped(raw: unknown): RawPlugins {
  if (!isObject(raw)) return {};
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
  const result: RawPlugins = {};
  if (typeof raw.enabled === 'boolean') result.enabled = raw.enabled;
  if (strings(raw.allow)) result.allow = strings(raw.allow);
  if (strings(raw.deny)) result.deny = strings(raw.deny);
  if (isObject(raw.load) && strings(raw.load.paths)) result.load = { paths: strings(raw.load.paths) };
  if (isObject(raw.slots)) result.slots = Object.fromEntries(Object.entries(raw.slots).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  if (isObject(raw.entries)) {
    result.entries = {};
    for (const [id, entry] of Object.entries(raw.entries)) {
      if (!isObject(entry)) continue;
      result.entries[id] = {
        ...(typeof entry.enabled === 'boolean' ? { enabled: entry.enabled } : {}),
        ...(typeof entry.required === 'boolean' ? { required: entry.required } : {}),
        ...(typeof entry.path === 'string' ? { path: entry.path } : {}),
        ...('config' in entry ? { config: entry.config } : {}),
      };
    }
  }
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
