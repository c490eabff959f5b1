import type { Diagnostic } from '@nexus/plugin-sdk';
import type { LoadedConfig, PluginEntryConfig } from '../config/index.js';
import { describeSchemaErrors, joinPointer, type SchemaCompiler } from '../schema/index.js';
import type { PluginRecord } from './plugin-record.js';

/**
 * Validates `plugins.entries.<id>.config` against the manifest's `configSchema`, applying its
 * defaults into `record.config`. An enabled plugin with invalid config is quarantined, and only
 * it; a disabled plugin's config is still checked, but only warns. Returns false on failure.
 */
export function checkConfigSlice(
  record: PluginRecord,
  entry: PluginEntryConfig | undefined,
  config: LoadedConfig,
  schemas: SchemaCompiler,
): boolean {
  if (record.configChecked) return true;
  const manifest = record.manifest;
  if (!manifest) return false;
  const base = joinPointer('plugins', 'entries', record.id, 'config');
  const level = record.enabled ? 'error' : 'warning';
  const given = entry !== undefined && 'config' in entry && entry.config !== null && entry.config !== undefined;

  if (!manifest.configSchema) {
    if (given && !(typeof entry.config === 'object' && Object.keys(entry.config as object).length === 0)) {
      return reject(record, [
        {
          level,
          code: 'plugin.config-unexpected',
          message: `${record.id} takes no config, but plugins.entries.${record.id}.config is set`,
          pluginId: record.id,
          source: config.locate(base, { key: true }),
          hint: `remove plugins.entries.${record.id}.config`,
        },
      ]);
    }
    record.config = {};
    record.configChecked = true;
    return true;
  }

  let result;
  try {
    result = schemas.validate(manifest.configSchema, given ? entry.config : {});
  } catch (error) {
    record.state = 'failed';
    record.diagnostics.push({
      level: 'error',
      code: 'manifest.invalid-config-schema',
      message: `configSchema is not a valid JSON Schema: ${(error as Error).message}`,
      pluginId: record.id,
      source: { file: record.manifestPath, pointer: '/configSchema' },
      hint: 'fix the schema in nexus.plugin.json (draft 2020-12)',
    });
    return false;
  }

  if (result.valid) {
    record.config = result.value;
    record.configChecked = true;
    return true;
  }
  const diagnostics = describeSchemaErrors(result.errors, result.value).map((violation): Diagnostic => {
    const pointer = base + violation.pointer;
    return {
      level,
      code: 'plugin.config-invalid',
      message: `${pointer}: ${violation.message}`,
      pluginId: record.id,
      source: given ? config.locate(pointer, { key: violation.atKey }) : config.locate(joinPointer('plugins', 'entries')),
      hint: violation.hint ?? `see the configSchema in ${record.manifestPath}`,
    };
  });
  return reject(record, diagnostics);
}

function reject(record: PluginRecord, diagnostics: Diagnostic[]): false {
  record.diagnostics.push(...diagnostics);
  // A disabled plugin's config problems are warnings: nothing runs, so nothing is at risk.
  if (record.enabled && record.state !== 'failed') record.state = 'quarantined';
  return false;
}
