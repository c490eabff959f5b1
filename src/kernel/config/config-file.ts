import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Document } from 'yaml';
import type { Diagnostic, DiagnosticSource } from '@nexus/plugin-sdk';
import { yamlModule } from '../lazy/index.js';
import { hasLegacyMemoryKeys, migrateLegacyMemoryKeys } from '../migrations/legacy-memory-migration.js';
import { positionOfOffset, SourcePositions, valueAt } from '../schema/index.js';
import type { ConfigSource } from './config-source.js';
import { applyEnvOverrides } from './env-overrides.js';
import { interpolateEnv } from './env-interpolation.js';

/** A parsed config that can point back at its own lines and say where each value came from. */
export interface LoadedConfig {
  /** Absolute path, or undefined when no file was given (defaults only). */
  readonly path: string | undefined;
  /** How the file was chosen (flag, profile, env…), when known. */
  readonly source?: ConfigSource;
  /** The data after `${VAR}` interpolation and `NEXUS_*` overrides. */
  readonly data: Readonly<Record<string, unknown>>;
  /** Where `pointer` is in the file: `file:line:col` when the value exists, else the file alone. */
  locate(pointer: string, options?: { readonly key?: boolean }): DiagnosticSource;
  /** `env NEXUS_HOST` for values an override set, else `file` (or `profile <name>`) when present. */
  originOf(pointer: string): string | undefined;
  /**
   * Problems found while loading that do not prevent reading the rest (an unset `${VAR}`, a
   * malformed `NEXUS_*` override), reported with the validation errors so all come at once.
   */
  readonly diagnostics: readonly Diagnostic[];
}

/** A config file that cannot be read, parsed or interpolated. Carries positioned diagnostics. */
export class ConfigFileError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('\n'));
    this.name = 'ConfigFileError';
  }
}

export interface LoadOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly source?: ConfigSource;
}

export function emptyConfig(options: LoadOptions = {}): LoadedConfig {
  return configFromData({}, undefined, options);
}

/** An in-memory config, for tests and embedding; positions are unavailable. Overrides apply when `env` is given. */
export function configFromData(data: Record<string, unknown>, path?: string, options: LoadOptions = {}): LoadedConfig {
  const copy = structuredClone(data);
  const overrides = options.env ? applyEnvOverrides(copy, options.env) : undefined;
  return {
    path,
    diagnostics: overrides?.diagnostics ?? [],
    ...(options.source ? { source: options.source } : {}),
    data: copy,
    locate: (pointer) => ({ ...(path ? { file: path } : {}), pointer }),
    originOf: (pointer) => overrides?.origins.get(pointer) ?? (has(copy, pointer) ? 'file' : undefined),
  };
}

export function loadConfigFile(file: string, options: LoadOptions = {}): LoadedConfig {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigFileError([unreadable(path, error as NodeJS.ErrnoException, options.source?.profile)]);
  }
  return parseConfigText(text, path, options);
}

/** Why the config file cannot be read, and the fix for that reason (a directory is no permissions problem). */
function unreadable(path: string, error: NodeJS.ErrnoException, profile: string | undefined): Diagnostic {
  const base = { level: 'error', code: 'config.unreadable', source: { file: path } } as const;
  if (error.code === 'ENOENT') {
    return {
      ...base,
      message: `config file not found: ${path}`,
      hint: profile
        ? `create it with \`nexus profile init ${profile}\`, or pick another profile (\`nexus profile list\`)`
        : 'check the path, or run without --config to use ./nexus.yaml or the defaults',
    };
  }
  if (error.code === 'EISDIR') {
    const inside = ['nexus.yaml', 'nexus.yml'].map((name) => join(path, name)).find((candidate) => existsSync(candidate));
    return {
      ...base,
      message: `the config path is a directory, not a file: ${path}`,
      hint: inside ? `pass the file itself: --config ${inside}` : 'pass the config file itself, e.g. --config <directory>/nexus.yaml',
    };
  }
  return {
    ...base,
    message: `cannot read config file ${path}: ${error.message}`,
    hint: error.code === 'EACCES' || error.code === 'EPERM' ? 'the user running nexus may not read it: check the file permissions' : 'check that the path names a readable file',
  };
}

export function parseConfigText(text: string, path: string, options: LoadOptions = {}): LoadedConfig {
  const doc = parseSingleDocument(text, path);
  const env = options.env ?? {};
  const problems = options.env ? interpolateEnv(doc, env, path, text) : [];
  // An old file keeps loading: its memory settings are read where they live now, and the
  // operator is told to rewrite the file (the migration the doctor applies, done here in memory).
  problems.push(...legacyMemoryNotice(doc, path, text));
  const data = (doc.toJS() ?? {}) as unknown;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigFileError([
      {
        level: 'error',
        code: 'config.not-a-mapping',
        message: `the config file must be a YAML mapping of sections, found ${Array.isArray(data) ? 'a list' : typeof data}`,
        source: { file: path, line: 1, column: 1 },
        hint: 'start the file with a section such as "plugins:"',
      },
    ]);
  }
  const overrides = options.env ? applyEnvOverrides(data as Record<string, unknown>, env) : undefined;
  problems.push(...(overrides?.diagnostics ?? []));

  let positions: SourcePositions | undefined;
  const fileOrigin = options.source?.profile ? `profile ${options.source.profile}` : 'file';
  return {
    path,
    ...(options.source ? { source: options.source } : {}),
    data: data as Record<string, unknown>,
    diagnostics: problems,
    locate(pointer, locateOptions) {
      positions ??= new SourcePositions(text);
      const position = locateOptions?.key ? positions.locateKey(pointer) : positions.locate(pointer);
      return { file: path, ...(position ? { line: position.line, column: position.column } : {}), pointer };
    },
    originOf: (pointer) => overrides?.origins.get(pointer) ?? (has(data, pointer) ? fileOrigin : undefined),
  };
}

/** Parses exactly one YAML document; syntax errors and a second document are positioned errors. */
export function parseSingleDocument(text: string, path: string): Document.Parsed {
  const documents = yamlModule().parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true });
  const list: Document.Parsed[] = Array.isArray(documents) ? documents : [];
  const diagnostics: Diagnostic[] = [];
  if (list.length > 1) {
    diagnostics.push({
      level: 'error',
      code: 'config.multiple-documents',
      message: 'the config file holds more than one YAML document',
      source: { file: path, ...positionOfOffset(text, list[1]!.range?.[0] ?? 0) },
      hint: 'remove the second "---" and merge its settings into the first document',
    });
  }
  for (const error of list[0]?.errors ?? []) {
    diagnostics.push({
      level: 'error',
      code: 'config.yaml-syntax',
      message: `invalid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
      source: { file: path, ...positionOfOffset(text, error.pos[0]) },
      hint: yamlHint(error.code),
    });
  }
  if (diagnostics.length > 0) throw new ConfigFileError(diagnostics);
  return list[0] ?? yamlModule().parseDocument('');
}

function yamlHint(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'each key may appear once per mapping: merge the two entries';
    case 'TAB_AS_INDENT':
      return 'indent with spaces, not tabs';
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
      return 'a quote, bracket or brace is probably not closed';
    case 'BAD_INDENT':
      return 'align this line with its siblings (spaces only)';
    default:
      return 'fix the YAML syntax at this position (indentation and unquoted ":" are the usual causes)';
  }
}

function has(data: unknown, pointer: string): boolean {
  return valueAt(data, pointer) !== undefined;
}

function legacyMemoryNotice(doc: Document.Parsed, path: string, text: string): Diagnostic[] {
  if (!yamlModule().isMap(doc.contents) || !hasLegacyMemoryKeys(doc)) return [];
  const positions = new SourcePositions(text);
  return migrateLegacyMemoryKeys(doc)
    .filter((change) => change.kind !== 'set' || change.pointer === '/memory/enabled')
    .map((change) => {
      const position = positions.locateKey(change.pointer);
      return {
        level: change.kind === 'conflict' ? 'error' : 'warning',
        code: change.kind === 'conflict' ? 'config.legacy-memory-conflict' : 'config.legacy-memory-key',
        message: `${change.description} (read from its old place for this run; the file is unchanged)`,
        source: { file: path, ...(position ? { line: position.line, column: position.column } : {}), pointer: change.pointer },
        hint: change.hint ?? 'run `nexus doctor --repair` to rewrite the file with the memory section (the old file is kept as .bak)',
      } satisfies Diagnostic;
    });
}
