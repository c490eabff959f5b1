import { CONTRIBUTION_KINDS, Tools, type Tool } from '@nexus/plugin-sdk';
import { SchemaCompiler } from '../schema/index.js';
import { openTestKernel, type TestKernelOptions } from './create-test-kernel.js';

export interface ContractReport {
  readonly pluginId: string;
  /** `kind:name` of every contribution that resolved. */
  readonly resolved: readonly string[];
  /** Empty when the plugin honours its manifest and the contracts. */
  readonly problems: readonly string[];
}

/**
 * The contract test a plugin author runs on their own package: loads the plugin the way the
 * host does, resolves every contribution its manifest declares, and checks each against its
 * contract (a tool's name matches and its input schema compiles, for instance).
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
    const schemas = new SchemaCompiler();
    for (const { point, name } of instance.bound.contributions) {
      const kind = CONTRIBUTION_KINDS.find((k) => k.token === point)?.kind ?? 'unknown';
      try {
        const value = await kernel.contributions.get(point, name);
        resolved.push(`${kind}:${name}`);
        if (point === Tools) problems.push(...checkTool(value as Tool, name, schemas));
      } catch (error) {
        problems.push(`${kind} "${name}" failed to resolve: ${(error as Error).message}`);
      }
    }
    return { pluginId: test.pluginId, resolved, problems };
  } finally {
    await test.stop();
  }
}

function checkTool(tool: Tool, name: string, schemas: SchemaCompiler): string[] {
  const problems: string[] = [];
  if (tool.name !== name) problems.push(`tool "${name}" reports name "${tool.name}"`);
  if (typeof tool.description !== 'string' || tool.description.trim() === '') problems.push(`tool "${name}" has no description`);
  if (typeof tool.execute !== 'function') problems.push(`tool "${name}" has no execute()`);
  const reason = schemas.checkSchema(tool.inputSchema ?? {});
  if (reason) problems.push(`tool "${name}" has an invalid inputSchema: ${reason}`);
  return problems;
}
