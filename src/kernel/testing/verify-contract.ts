import { CONTRIBUTION_KINDS, type ContributionKind } from '@nexus/plugin-sdk';
import { declaredEntry, factMismatches, type DeclaredEntry } from '../runtime/declared-facts.js';
import { SchemaCompiler } from '../schema/index.js';
import { openTestKernel, type TestKernelOptions } from './create-test-kernel.js';

export interface ContractReport {
  readonly pluginId: string;
  /** `kind:name` of every contribution that resolved. */
  readonly resolved: readonly string[];
  /** Empty when the plugin honours its manifest and the contracts. */
  readonly problems: readonly string[];
}

/** The method each kind's object must have, where the kind has one the host calls. */
const REQUIRED_METHODS: Partial<Record<ContributionKind, readonly string[]>> = {
  tools: ['execute'],
  toolSources: ['list', 'call'],
  httpRoutes: ['handle'],
};

/**
 * The contract test a plugin author runs on their own package: loads the plugin the way the
 * host does, resolves every contribution its manifest declares, and checks each against its
 * contract and its manifest entry (a tool's declared input schema compiles; an object that
 * restates a manifest fact, such as a route's auth policy, states the same value). Every problem
 * is reported at once, rather than only the first that would fail the plugin in the host.
 */
export async function verifyPluginContract(options: TestKernelOptions): Promise<ContractReport> {
  const { kernel, test } = openTestKernel(options);
  const problems: string[] = [];
  const resolved: string[] = [];
  try {
    try {
      await test.activate('contract-test');
    } catch (error) {
      problems.push((error as Error).message);
      for (const d of test.summary().diagnostics) problems.push(`${d.code}: ${d.message}`);
      return { pluginId: test.pluginId, resolved, problems };
    }
    const instance = await kernel.activate(test.pluginId, 'contract-test');
    const record = kernel.record(test.pluginId)!;
    const schemas = new SchemaCompiler();
    for (const { point, name } of instance.bound.contributions) {
      const kind = CONTRIBUTION_KINDS.find((k) => k.token === point)?.kind;
      if (!kind) continue; // reported by register() already
      const entry = declaredEntry(record.id, record.manifest!, kind, name);
      if (kind === 'tools' && entry) problems.push(...schemaProblems(entry, name, schemas));
      let value: unknown;
      try {
        // Straight from the plugin's container: the host's registry would fail the plugin at
        // the first mismatch, and an author wants to see them all.
        value = instance.container.get(point, { name });
      } catch (error) {
        problems.push(`${kind} "${name}" failed to resolve: ${(error as Error).message}`);
        continue;
      }
      resolved.push(`${kind}:${name}`);
      for (const method of REQUIRED_METHODS[kind] ?? []) {
        if (typeof (value as Record<string, unknown> | null)?.[method] !== 'function') problems.push(`${kind} "${name}" has no ${method}()`);
      }
      if (entry) problems.push(...factMismatches(kind, name, entry, value, record.manifestPath).map((d) => `${d.code}: ${d.message} (hint: ${d.hint})`));
    }
    return { pluginId: test.pluginId, resolved, problems };
  } finally {
    await test.stop();
  }
}

function schemaProblems(entry: DeclaredEntry, name: string, schemas: SchemaCompiler): string[] {
  const reason = schemas.checkSchema(entry.declared.inputSchema as Record<string, unknown>);
  return reason ? [`tool "${name}" declares an invalid inputSchema at ${entry.pointer}/inputSchema: ${reason}`] : [];
}
