import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Document } from 'yaml';
import type { Diagnostic, DiagnosticSource } from '../../contracts/index.js';
import { yamlModule } from '../lazy/index.js';
import { positionOfOffset, SourcePositions } from '../schema/index.js';

/** A parsed config file that can point back at its own lines. */
export interface LoadedConfig {
  /** Absolute path, or undefined when no file was given (defaults only). */
  readonly path: string | undefined;
  readonly data: Readonly<Record<string, unknown>>;
  /** Where `pointer` is in the file: `file:line:col` when the value exists, else the file alone. */
  locate(pointer: string, options?: { readonly key?: boolean }): DiagnosticSource;
}

/** A config file that cannot be read or parsed. Carries diagnostics with positions. */
export class ConfigFileError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('\n'));
    this.name = 'ConfigFileError';
  }
}

export function emptyConfig(): LoadedConfig {
  return { path: undefined, data: {}, locate: (pointer) => ({ pointer }) };
}

/** An in-memory config, for tests and embedding; positions are unavailable. */
export function configFromData(data: Record<string, unknown>, path?: string): LoadedConfig {
  return { path, data, locate: (pointer) => ({ ...(path ? { file: path } : {}), pointer }) };
}

export function loadConfigFile(file: string): LoadedConfig {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigFileError([
      {
        level: 'error',
        code: 'config.unreadable',
        message: code === 'ENOENT' ? `config file not found: ${path}` : `cannot read config file ${path}: ${(error as Error).message}`,
        source: { file: path },
        hint: code === 'ENOENT' ? 'check the --config path, or run without it to use the defaults' : 'check the file permissions',
      },
    ]);
  }
  return parseConfigText(text, path);
}

export function parseConfigText(text: string, path: string): LoadedConfig {
  const documents = yamlModule().parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true });
  const list: Document.Parsed[] = Array.isArray(documents) ? documents : [];
  const diagnostics: Diagnostic[] = [];
  if (list.length > 1) {
    const second = list[1]!;
    const offset = second.range?.[0] ?? 0;
    diagnostics.push({
      level: 'error',
      code: 'config.multiple-documents',
      message: 'the config file holds more than one YAML document',
      source: { file: path, ...positionOfOffset(text, offset) },
      hint: 'remove the second "---" and merge its settings into the first document',
    });
  }
  for (const doc of list.slice(0, 1)) {
    for (const error of doc.errors) {
      diagnostics.push({
        level: 'error',
        code: 'config.yaml-syntax',
        message: `invalid YAML: ${error.message.split('\n')[0]}`,
        source: { file: path, ...positionOfOffset(text, error.pos[0]) },
        hint: 'fix the YAML syntax at this position (indentation and unquoted ":" are the usual causes)',
      });
    }
  }
  if (diagnostics.length > 0) throw new ConfigFileError(diagnostics);

  const data = (list[0]?.toJS() ?? {}) as unknown;
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
  let positions: SourcePositions | undefined;
  return {
    path,
    data: data as Record<string, unknown>,
    locate(pointer, options) {
      positions ??= new SourcePositions(text);
      const position = options?.key ? positions.locateKey(pointer) : positions.locate(pointer);
      return { file: path, ...(position ? { line: position.line, column: position.column } : {}), pointer };
    },
  };
}
