import { join } from 'node:path';
import { afterEach } from 'vitest';
import { Kernel, loadConfigFile, MemoryLogger } from '../../src/kernel/index.js';
import { tempDir, writeFile, writePlugin } from '../helpers/fixtures.js';

const kernels: Kernel[] = [];
afterEach(async () => {
  while (kernels.length > 0) await kernels.pop()!.stop('test end');
});

/** Entry source of a plugin contributing the given doctor checks (name → body of `run(ctx)`). */
export function checksEntry(checks: Record<string, string>): string {
  const bindings = Object.entries(checks)
    .map(
      ([name, body]) =>
        `ctx.contribute(DoctorChecks, ${JSON.stringify(name)}).toConstantValue({ id: ${JSON.stringify(name)}, description: 'checks ${name}', async run(ctx) { ${body} } });`,
    )
    .join('\n    ');
  return `import { appendFileSync } from 'node:fs';
import { definePlugin, DoctorChecks } from '@nexus/plugin-sdk';
void appendFileSync;
export default definePlugin({
  register(ctx) {
    ${bindings}
  },
});
`;
}

/** Plugin id → check name → body of its `run(ctx)` (which may use `appendFileSync`). */
type PluginChecks = Record<string, Record<string, string>>;

/**
 * A workspace with `nexus.yaml` and optional plugins under ./plugins (listed in plugins.load.paths
 * by the config text itself), and a loader building a real kernel from the file as the CLI does,
 * but with no built-ins and an isolated home.
 */
export function doctorWorkspace(configText: string, plugins: PluginChecks | ((dir: string) => PluginChecks) = {}) {
  const dir = tempDir('nexus-doctor-');
  const configPath = writeFile(join(dir, 'nexus.yaml'), configText);
  for (const [id, checks] of Object.entries(typeof plugins === 'function' ? plugins(dir) : plugins)) {
    writePlugin(join(dir, 'plugins'), { id, manifest: { contributes: { doctorChecks: Object.keys(checks).map((name) => ({ name })) } }, entry: checksEntry(checks) });
  }
  const loadKernel = () => {
    const kernel = new Kernel({
      config: loadConfigFile(configPath, { env: {} }),
      home: join(dir, '.home'),
      workspaceDir: dir,
      builtinDirs: [],
      packageDirs: [],
      logger: new MemoryLogger(),
      checkAllConfig: true,
      discoveryIndex: false,
    });
    kernels.push(kernel);
    return kernel;
  };
  return { dir, configPath, loadKernel };
}
