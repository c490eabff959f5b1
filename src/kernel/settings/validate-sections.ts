import type { Diagnostic } from '@nexus/plugin-sdk';
import type { LoadedConfig } from '../config/index.js';
import { hostPaths } from '../host/index.js';
import { quarantine, type PluginRecord } from '../plan/plugin-record.js';
import { describeSchemaErrors, didYouMean, joinPointer, type SchemaCompiler, type Validation } from '../schema/index.js';
import { COMPOSITE_SECTIONS, KERNEL_SECTIONS, type SectionOwner } from './sections.js';

export interface SectionCheck {
  /** Every section with its defaults applied; invalid sections keep their raw value. */
  readonly effective: Record<string, unknown>;
  /** Problems with kernel-owned sections and unknown keys (these stop `serve`). */
  readonly diagnostics: Diagnostic[];
}

/**
 * Checks every top-level section against its owner's schema, one section at a time so each
 * problem lands on its owner: kernel sections and unknown keys on the kernel, a plugin's section
 * on that plugin (quarantining it when enabled, a warning when disabled). `plugins` itself is
 * checked by readPluginsConfig.
 */
export function validateSections(
  config: LoadedConfig,
  owners: ReadonlyMap<string, SectionOwner>,
  records: ReadonlyMap<string, PluginRecord>,
  schemas: SchemaCompiler,
): SectionCheck {
  const data = config.data;
  const effective: Record<string, unknown> = {};
  const diagnostics: Diagnostic[] = [];
  const known = [...KERNEL_SECTIONS, ...COMPOSITE_SECTIONS, ...[...owners.keys()].filter((k) => !k.includes('.'))];

  /** Validates against the owner's schema; a schema that does not compile fails its plugin, not the run. */
  const validate = (owner: SectionOwner | 'kernel', value: unknown, name: string): Validation | undefined => {
    if (owner === 'kernel') return schemas.validateFile(hostPaths.configSchema, name, value);
    try {
      return schemas.validate(owner.schema, value);
    } catch (error) {
      const record = records.get(owner.pluginId);
      if (record && record.state !== 'failed') {
        record.state = 'failed';
        record.diagnostics.push({
          level: 'error',
          code: 'manifest.invalid-config-schema',
          message: `the schema of config section "${name}" is not a valid JSON Schema: ${(error as Error).message}`,
          pluginId: record.id,
          source: { file: record.manifestPath, pointer: '/contributes/configSections' },
          hint: 'fix the schema in nexus.plugin.json (draft 2020-12)',
        });
      }
      return undefined;
    }
  };

  const check = (pointer: string, value: unknown, owner: SectionOwner | 'kernel', name: string): unknown => {
    const result = validate(owner, value, name);
    if (!result) return value;
    if (result.valid) return result.value;
    const record = owner === 'kernel' ? undefined : records.get(owner.pluginId);
    const level = record && !record.enabled ? 'warning' : 'error';
    const found = describeSchemaErrors(result.errors, result.value).map(
      (v): Diagnostic => ({
        level,
        code: 'config.invalid',
        // A value an environment override set is blamed on the variable, not on the file.
        message: `${pointer}${v.pointer}: ${v.message}${fromEnv(pointer + v.pointer)}`,
        ...(record ? { pluginId: record.id } : {}),
        source: config.locate(pointer + v.pointer, { key: v.atKey }),
        hint: v.hint ?? (record ? `the ${name} section belongs to ${record.id}; see its schema with \`nexus config schema\`` : 'see docs/config-reference.md'),
      }),
    );
    if (!record) diagnostics.push(...found);
    else if (record.enabled) for (const d of found) quarantine(record, d);
    else record.diagnostics.push(...found);
    return value;
  };

  for (const [name, value] of Object.entries(data)) {
    const pointer = joinPointer(name);
    if (name === 'plugins') effective[name] = value;
    else if (name === 'version' || name === 'logging') effective[name] = check(pointer, value, 'kernel', name);
    else if ((COMPOSITE_SECTIONS as readonly string[]).includes(name)) effective[name] = checkComposite(name, value);
    else if (owners.has(name)) effective[name] = check(pointer, value, owners.get(name)!, name);
    else {
      diagnostics.push(unknownKey(pointer, name, known, 'section'));
      effective[name] = value;
    }
  }

  // Absent sections still get their defaults, when the schema can produce a valid value from nothing.
  for (const [name, owner] of [['logging', 'kernel'] as const, ...[...owners].filter(([k]) => !k.includes('.'))]) {
    if (name in data) continue;
    const result = validate(owner, {}, name);
    if (result?.valid) effective[name] = result.value;
  }
  return { effective, diagnostics };

  function fromEnv(at: string): string {
    const origin = config.originOf(at);
    return origin?.startsWith('env ') ? ` (set by ${origin.slice(4)})` : '';
  }

  function checkComposite(name: string, value: unknown): unknown {
    const pointer = joinPointer(name);
    if (value === null || value === undefined) return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      diagnostics.push({
        level: 'error',
        code: 'config.invalid',
        message: `${pointer}: expected a mapping of ${name} by id, found ${Array.isArray(value) ? 'a list' : typeof value}`,
        source: config.locate(pointer),
      });
      return value;
    }
    const result: Record<string, unknown> = {};
    const keys = [...owners.keys()].filter((k) => k.startsWith(`${name}.`)).map((k) => k.slice(name.length + 1));
    for (const [key, sub] of Object.entries(value)) {
      const owner = owners.get(`${name}.${key}`);
      if (owner) result[key] = check(joinPointer(name, key), sub, owner, `${name}.${key}`);
      else {
        diagnostics.push(unknownKey(joinPointer(name, key), `${name}.${key}`, keys, name));
        result[key] = sub;
      }
    }
    return result;
  }

  function unknownKey(pointer: string, name: string, candidates: readonly string[], where: string): Diagnostic {
    const last = name.split('.').pop()!;
    const suggestion = didYouMean(last, candidates);
    return {
      level: 'error',
      code: 'config.unknown-section',
      message:
        where === 'section'
          ? `unknown section "${name}": no installed plugin provides it`
          : `unknown key "${name}": no installed plugin provides ${where} "${last}"`,
      source: config.locate(pointer, { key: true }),
      hint: suggestion
        ? `did you mean "${suggestion}"?`
        : `install the plugin that provides "${name}", or remove it (\`nexus config schema\` lists every section)`,
    };
  }
}
