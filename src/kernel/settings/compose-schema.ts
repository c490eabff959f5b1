import { readFileSync } from 'node:fs';
import { hostPaths } from '../host/index.js';
import type { PluginRecord } from '../plan/plugin-record.js';
import { COMPOSITE_SECTIONS, type SectionOwner } from './sections.js';

type Schema = Record<string, unknown>;

/**
 * The one schema for nexus.yaml: the kernel's sections from schemas/config.schema.json, each
 * plugin's sections, and each plugin's `plugins.entries.<id>.config`. Every plugin schema is
 * embedded with its own `$id`, so its internal `$ref`s keep working. `x-owner` names the owner.
 */
export function composeConfigSchema(owners: ReadonlyMap<string, SectionOwner>, records: Iterable<PluginRecord>): Schema {
  const kernel = JSON.parse(readFileSync(hostPaths.configSchema, 'utf8')) as Schema & { properties: Schema; $defs: Schema };
  const defs = kernel.$defs as Record<string, Schema>;
  const embed = (pluginId: string, name: string, schema: Schema): Schema => ({
    ...schema,
    $id: `https://nexus.dev/schemas/plugins/${pluginId}/${name}.json`,
    'x-owner': pluginId,
  });

  const properties: Schema = {};
  for (const [name, schema] of Object.entries(kernel.properties)) properties[name] = { ...(schema as Schema), 'x-owner': 'kernel' };
  for (const composite of COMPOSITE_SECTIONS) {
    const keys = [...owners].filter(([k]) => k.startsWith(`${composite}.`));
    properties[composite] = {
      ...(kernel.properties[composite] as Schema),
      'x-owner': 'kernel',
      additionalProperties: false,
      properties: Object.fromEntries(keys.map(([k, owner]) => [k.slice(composite.length + 1), embed(owner.pluginId, k, owner.schema)])),
    };
  }
  for (const [name, owner] of owners) {
    if (!name.includes('.')) properties[name] = embed(owner.pluginId, name, owner.schema);
  }

  const entryConfigs: Schema = {};
  for (const record of records) {
    const schema = record.manifest?.configSchema;
    if (schema) {
      entryConfigs[record.id] = { allOf: [{ $ref: '#/$defs/pluginEntry' }, { properties: { config: embed(record.id, 'config', schema) } }] };
    }
  }
  const plugins = defs.plugins as Schema & { properties: Schema };
  const pluginsSection: Schema = {
    ...plugins,
    properties: { ...plugins.properties, entries: { ...(plugins.properties.entries as Schema), properties: entryConfigs } },
  };

  return {
    $schema: kernel.$schema,
    $id: 'https://nexus.dev/schemas/nexus.yaml.json',
    title: 'Nexus configuration (nexus.yaml)',
    description: 'Composed from the kernel schema and the config sections of the plugins installed here.',
    type: 'object',
    additionalProperties: false,
    properties: { ...properties, plugins: { ...pluginsSection, 'x-owner': 'kernel' } },
    $defs: defs,
  };
}
