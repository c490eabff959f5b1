import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Kernel } from '../kernel.js';
import type { PluginRecord } from '../plan/index.js';
import { SchemaCompiler } from '../schema/index.js';
import type { DoctorCheckSpec, DoctorReportFinding } from './doctor-result.js';
import { findingOf } from './findings.js';

/**
 * One check per discovered plugin: its own diagnostics (manifest, compatibility, config slice,
 * dependencies), and for an enabled plugin that its entry module exists and its tools' input
 * schemas compile. Runs no plugin code.
 */
export function pluginChecks(kernel: Kernel): DoctorCheckSpec[] {
  const schemas = new SchemaCompiler();
  return kernel.list().map((plugin) => ({
    group: 'plugins',
    id: plugin.id,
    pluginId: plugin.id,
    description: `${plugin.enabled ? 'enabled' : 'disabled'}, ${plugin.state} (${plugin.origin})`,
    run() {
      const record = kernel.record(plugin.id);
      const findings: DoctorReportFinding[] = (record?.diagnostics ?? plugin.diagnostics).map(findingOf);
      if (record?.enabled && record.manifest?.main) {
        const entry = resolve(record.dir, record.manifest.main);
        // Like the loader, accept the .ts source of an entry that is not built yet.
        const source = entry.replace(/(\.m?)js$/, '$1ts');
        if (!isFile(entry) && !(source !== entry && isFile(source))) {
          findings.push({
            level: 'error',
            code: 'plugin.entry-missing',
            message: `entry module not found: ${entry}`,
            where: `${record.manifestPath} (/main)`,
            pluginId: plugin.id,
            hint: 'build the plugin, or fix "main" in its manifest',
          });
        }
        findings.push(...toolSchemaFindings(record, schemas));
      }
      return { findings };
    },
  }));
}

/** A declared tool schema that does not compile: the runtime would leave the tool out of every turn. */
function toolSchemaFindings(record: PluginRecord, schemas: SchemaCompiler): DoctorReportFinding[] {
  return (record.manifest?.contributes?.tools ?? []).flatMap((tool, index) => {
    const reason = tool.inputSchema === undefined ? undefined : schemas.checkSchema(tool.inputSchema);
    if (reason === undefined) return [];
    return [
      {
        level: 'error' as const,
        code: 'manifest.invalid-tool-schema',
        message: `tool "${tool.name}" has an inputSchema that is not a valid JSON Schema: ${reason}; the agent leaves the tool out of every turn`,
        where: `${record.manifestPath} (/contributes/tools/${index}/inputSchema)`,
        pluginId: record.id,
        hint: 'fix the schema (JSON Schema draft 2020-12, an object schema for the tool input)',
      },
    ];
  });
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() === true;
}
