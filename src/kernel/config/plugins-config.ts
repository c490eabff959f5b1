import { dirname, isAbsolute, resolve } from 'node:path';
import type { Diagnostic } from '../../contracts/index.js';
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

const DEFAULTS: PluginsConfig = { enabled: true, allow: undefined, deny: [], loadPaths: [], slots: {}, entries: {} };

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
  if (raw === undefined || raw === null) return { value: DEFAULTS, diagnostics: [] };

  const validate = schemas.compileFile(hostPaths.configSchema, 'plugins');
  // Validate a copy: the schema applies defaults, and the caller's data stays as the user wrote it.
  const section = structuredClone(raw) as RawPlugins;
  if (!validate(section)) {
    const diagnostics = describeSchemaErrors(validate.errors, section).map((violation): Diagnostic => {
      const pointer = `/plugins${violation.pointer}`;
      return {
        level: 'error',
        code: 'config.invalid',
        message: `${pointer}: ${violation.message}`,
        source: config.locate(pointer, { key: violation.atKey }),
        hint: violation.hint ?? 'see docs/config-reference.md for the plugins section',
      };
    });
    return { value: DEFAULTS, diagnostics };
  }

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
    value: {
      enabled: section.enabled ?? true,
      allow: section.allow,
      deny: section.deny ?? [],
      loadPaths: (section.load?.paths ?? []).map((p, i) => ({ path: absolute(p), pointer: joinPointer('plugins', 'load', 'paths', i) })),
      slots: section.slots ?? {},
      entries,
    },
    diagnostics: [],
  };
}
