import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import { configFromData, Kernel, MemoryLogger, type KernelOptions } from '../../src/kernel/index.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** A fresh temporary directory, removed after the test. */
export function tempDir(prefix = 'nexus-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function writeFile(path: string, content: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

export interface PluginSpec {
  readonly id: string;
  readonly manifest?: Record<string, unknown>;
  /** Entry module source; defaults to a plugin that registers nothing; null writes no entry. */
  readonly entry?: string | null;
  /** Entry file name; default index.js. */
  readonly main?: string;
}

/** Writes a plugin folder `<root>/<id>` with a manifest and an entry module. Returns the folder. */
export function writePlugin(root: string, spec: PluginSpec): string {
  const dir = join(root, spec.id.replace('/', '__'));
  const main = spec.main ?? 'index.js';
  writeFile(
    join(dir, 'nexus.plugin.json'),
    JSON.stringify({ id: spec.id, name: spec.id, version: '1.0.0', main: `./${main}`, ...spec.manifest }, null, 2),
  );
  if (spec.entry !== null) writeFile(join(dir, main), spec.entry ?? `import { definePlugin } from '@nexus/plugin-sdk';\nexport default definePlugin({});\n`);
  return dir;
}

/** An entry that appends `<id>:<event>` lines to a log file as it is imported and activated. */
export function tracingEntry(log: string, id: string, body = ''): string {
  return `import { appendFileSync } from 'node:fs';
import { definePlugin } from '@nexus/plugin-sdk';
appendFileSync(${JSON.stringify(log)}, 'import:${id}\\n');
export default definePlugin({
  ${body}
  async activate() { appendFileSync(${JSON.stringify(log)}, 'activate:${id}\\n'); },
  async deactivate() { appendFileSync(${JSON.stringify(log)}, 'deactivate:${id}\\n'); },
});
`;
}

/** A kernel isolated in temp dirs, loading plugins from `loadPaths`, with in-memory logs. */
export function testKernel(options: {
  readonly loadPaths?: readonly string[];
  readonly plugins?: Record<string, unknown>;
  readonly data?: Record<string, unknown>;
  readonly kernel?: Partial<KernelOptions>;
}): { kernel: Kernel; logger: MemoryLogger; home: string } {
  const home = tempDir('nexus-home-');
  const logger = new MemoryLogger();
  const kernel = new Kernel({
    config: configFromData({ ...options.data, plugins: { load: { paths: options.loadPaths ?? [] }, ...options.plugins } }),
    home,
    workspaceDir: home,
    builtinDirs: [],
    packageDirs: [],
    logger,
    ...options.kernel,
  });
  cleanups.push(() => kernel.stop('test end'));
  return { kernel, logger, home };
}

export const TOOL_ENTRY = (name: string) => `import { definePlugin, Tools } from '@nexus/plugin-sdk';
export default definePlugin({
  register(ctx) {
    ctx.contribute(Tools, ${JSON.stringify(name)}).toConstantValue({
      async execute() { return { content: ${JSON.stringify(name)} }; },
    });
  },
});
`;
