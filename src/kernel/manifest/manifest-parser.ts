import type { Diagnostic } from '@nexus/plugin-sdk';
import { hostPaths } from '../host/index.js';
import { describeSchemaErrors, positionOfOffset, SourcePositions, type SchemaCompiler, type ValidateFunction } from '../schema/index.js';
import type { PluginManifest } from './manifest.js';

export type ManifestResult =
  | { readonly ok: true; readonly manifest: PluginManifest }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** Parses and schema-checks manifest text. Never throws; every problem is a diagnostic. */
export class ManifestParser {
  private validator: ValidateFunction | undefined;

  constructor(private readonly schemas: SchemaCompiler) {}

  parse(text: string, file: string): ManifestResult {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      return { ok: false, diagnostics: [syntaxDiagnostic(error as Error, text, file)] };
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      return {
        ok: false,
        diagnostics: [
          {
            level: 'error',
            code: 'manifest.invalid',
            message: `the manifest must be a JSON object, found ${Array.isArray(data) ? 'an array' : typeof data}`,
            source: { file, line: 1, column: 1, pointer: '' },
            hint: 'start from { "id": "my-plugin", "name": "My plugin", "version": "0.1.0", "main": "./index.js" }',
          },
        ],
      };
    }
    this.validator ??= this.schemas.compileFile(hostPaths.manifestSchema);
    if (this.validator(data)) return { ok: true, manifest: data as PluginManifest };

    const positions = new SourcePositions(text);
    const pluginId = typeof (data as { id?: unknown }).id === 'string' ? (data as { id: string }).id : undefined;
    const diagnostics = describeSchemaErrors(this.validator.errors, data).map((violation): Diagnostic => {
      const position = violation.atKey ? positions.locateKey(violation.pointer) : positions.locate(violation.pointer);
      return {
        level: 'error',
        code: 'manifest.invalid',
        message: `${violation.pointer || '(root)'}: ${violation.message}`,
        ...(pluginId ? { pluginId } : {}),
        source: { file, ...(position ? { line: position.line, column: position.column } : {}), pointer: violation.pointer },
        hint: violation.hint ?? 'see schemas/plugin-manifest.schema.json for the allowed fields',
      };
    });
    return { ok: false, diagnostics };
  }
}

function syntaxDiagnostic(error: Error, text: string, file: string): Diagnostic {
  // V8 reports "… at position N" (and, since Node 22, "(line L column C)").
  const offset = /position (\d+)/.exec(error.message)?.[1];
  // "Unexpected end of JSON input" has no position: the problem is at the end.
  const position = positionOfOffset(text, offset !== undefined ? Number(offset) : text.length);
  return {
    level: 'error',
    code: 'manifest.parse-error',
    message: `nexus.plugin.json is not valid JSON: ${error.message}`,
    source: { file, line: position.line, column: position.column },
    hint: 'fix the JSON syntax (a trailing comma or a missing quote is the usual cause)',
  };
}
