import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as contracts from '../../src/contracts/index.js';

const repo = join(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') && !e.parentPath.includes('node_modules') && !e.parentPath.includes('dist'))
    .map((e) => join(e.parentPath, e.name));
}

function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => (m[1] ?? m[2])!);
}

describe('SDK boundary', () => {
  it('exports exactly the contracts, and nothing of the kernel', () => {
    const sdk = require('@nexus/plugin-sdk') as Record<string, unknown>;
    expect(Object.keys(sdk).sort()).toEqual(Object.keys(contracts).sort());
    for (const internal of ['Kernel', 'PluginInstance', 'ManifestParser', 'ModuleLoader', 'KernelHookBus', 'planPlugins', 'DiscoveryIndex']) {
      expect(sdk).not.toHaveProperty(internal);
    }
  });

  it('its testing entry exports only the test kit', () => {
    const testing = require('@nexus/plugin-sdk/testing') as Record<string, unknown>;
    expect(Object.keys(testing).sort()).toEqual(['MemoryLogger', 'createTestKernel', 'verifyPluginContract']);
  });

  it('keeps contracts free of implementation imports', () => {
    for (const file of tsFiles(join(repo, 'src/contracts'))) {
      for (const spec of importsOf(file)) {
        expect(spec === 'inversify' || spec.startsWith('node:') || spec.startsWith('./'), `${relative(repo, file)} imports ${spec}`).toBe(true);
      }
    }
  });

  it('keeps built-in and example plugins on the public SDK surface', () => {
    const files = [...tsFiles(join(repo, 'src/builtin-plugins')), ...tsFiles(join(repo, 'examples/plugins'))].filter((f) => !f.includes('/test/'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      for (const spec of importsOf(file)) {
        // npm packages are fine (plugins bring their own SDKs); host internals are not.
        const npmPackage = !spec.startsWith('.') && !spec.startsWith('/') && spec !== 'nexus' && !spec.startsWith('nexus/');
        const allowed = npmPackage || (spec.startsWith('.') && !/\/(kernel|cli)\//.test(spec)) || /\/contracts\/index\.js$/.test(spec);
        expect(allowed, `${relative(repo, file)} imports ${spec}`).toBe(true);
      }
    }
  });
});
