import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Clock, ContributionRegistry, HookBus, ServiceRegistry, Token } from '@nexus/plugin-sdk';
import { configFromData } from '../config/index.js';
import { Kernel } from '../kernel.js';
import type { KernelTimeouts } from '../kernel-options.js';
import { MemoryLogger, type LogEntry } from '../logging/index.js';
import { MANIFEST_FILE } from '../manifest/index.js';
import type { PluginSummary } from '../plan/index.js';

export interface TestKernelOptions {
  /** The plugin under test: its folder (holding nexus.plugin.json) or the manifest itself. */
  readonly plugin: string;
  /** Its `plugins.entries.<id>.config`. */
  readonly config?: unknown;
  /** Other top-level config sections the plugin reads (`llm`, `server`, …). */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Other plugin folders to load alongside, such as the real plugins this one `requires`. */
  readonly with?: readonly string[];
  /** Fakes for services the plugin consumes, bound in the kernel's root container. */
  readonly services?: readonly (readonly [Token<unknown>, unknown])[];
  readonly clock?: Clock;
  /** The path `ConfigAccess.path` reports, for plugins that resolve paths against the config file. */
  readonly configPath?: string;
  readonly timeouts?: Partial<KernelTimeouts>;
}

export interface TestKernel {
  readonly pluginId: string;
  /** Contributions, activating owners on demand, as the host does. */
  readonly contributions: ContributionRegistry;
  readonly services: ServiceRegistry;
  readonly hooks: HookBus;
  /** Everything logged, by the kernel and the plugin. */
  readonly logs: LogEntry[];
  /** The plugin's list entry: state and diagnostics. */
  summary(): PluginSummary;
  /** Fires `event` (default `test`) for the plugin: imports, registers and activates it. */
  activate(event?: string): Promise<void>;
  /** Stops the kernel and removes its temporary home. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * A kernel holding only the plugin under test, with an isolated temporary home, in-memory logs
 * and optional fake services. Nothing is read from the user's ~/.nexus or the workspace.
 */
export function createTestKernel(options: TestKernelOptions): TestKernel {
  return openTestKernel(options).test;
}

/** The test kernel and the Kernel behind it, for the kit's own helpers. */
export function openTestKernel(options: TestKernelOptions): { readonly kernel: Kernel; readonly test: TestKernel } {
  const location = resolve(options.plugin);
  const manifestPath = location.endsWith('.json') ? location : join(location, MANIFEST_FILE);
  const pluginId = (JSON.parse(readFileSync(manifestPath, 'utf8')) as { id: string }).id;
  const home = mkdtempSync(join(tmpdir(), 'nexus-test-'));
  const logger = new MemoryLogger();
  const entry: Record<string, unknown> = { path: manifestPath };
  if (options.config !== undefined) entry.config = options.config;
  const kernel = new Kernel({
    config: configFromData({ ...options.settings, plugins: { load: { paths: (options.with ?? []).map((p) => resolve(p)) }, entries: { [pluginId]: entry } } }, options.configPath),
    home,
    workspaceDir: home,
    builtinDirs: [],
    packageDirs: [],
    discoveryIndex: false,
    moduleCacheDir: sharedModuleCache(),
    logger,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    ...(options.services ? { services: options.services } : {}),
  });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await kernel.stop('test finished');
    rmSync(home, { recursive: true, force: true });
  };
  const test: TestKernel = {
    pluginId,
    contributions: kernel.contributions,
    services: kernel.services,
    hooks: kernel.hooks,
    logs: logger.entries,
    summary: () => {
      const summary = kernel.list().find((p) => p.id === pluginId);
      if (!summary) throw new Error(`plugin ${pluginId} was not discovered at ${manifestPath}`);
      return summary;
    },
    activate: async (event = 'test') => {
      await kernel.activate(pluginId, event);
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
  return { kernel, test };
}

/**
 * Test kernels get fresh homes, so without this every one would compile TypeScript plugins
 * again. `node_modules/.cache` of the project under test is where build tools keep such caches.
 */
function sharedModuleCache(): string | undefined {
  const modules = join(process.cwd(), 'node_modules');
  return existsSync(modules) ? join(modules, '.cache', 'nexus-test-modules') : undefined;
}
