import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '../..');

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
  it('keeps the SDK free of the host', () => {
    for (const file of tsFiles(join(repo, 'plugin-sdk/src'))) {
      for (const spec of importsOf(file)) {
        const shared = relative(repo, file).startsWith('plugin-sdk/src/shared/') && /^(inversify|@inversifyjs\/|reflect-metadata)/.test(spec);
        // json-schema-to-ts is types only (ConfigFromSchema): nothing of it runs.
        const typesOnly = spec === 'json-schema-to-ts' && /^import type /m.test(readFileSync(file, 'utf8'));
        // uuid is bundled into the SDK's build (plugin-sdk/build.mjs), so its one copy ships inside the SDK.
        const allowed = spec.startsWith('node:') || spec.startsWith('./') || spec.startsWith('../') || spec === 'kysely' || spec === 'uuid' || shared || typesOnly;
        expect(allowed, `${relative(repo, file)} imports ${spec}`).toBe(true);
        if (spec.startsWith('../')) expect(join(file, '..', spec).startsWith(join(repo, 'plugin-sdk/src')), `${relative(repo, file)} imports ${spec}`).toBe(true);
      }
    }
  });

  it('keeps built-in and example plugins on the public SDK surface, each inside its own folder', () => {
    const pluginRoots = [
      ...readdirSync(join(repo, 'src/builtin-plugins'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(repo, 'src/builtin-plugins', e.name)),
      ...readdirSync(join(repo, 'examples/plugins'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(repo, 'examples/plugins', e.name, 'src')),
    ];
    expect(pluginRoots.length).toBeGreaterThan(10);
    for (const root of pluginRoots) {
      for (const file of tsFiles(root)) {
        for (const spec of importsOf(file)) {
          const inside = spec.startsWith('.') && join(file, '..', spec).startsWith(root);
          // npm packages are fine (plugins bring their own libraries); the host is not.
          const npmPackage = !spec.startsWith('.') && !spec.startsWith('/') && spec !== 'nexus' && !spec.startsWith('nexus/') && !spec.startsWith('@nexus/plugin-sdk/shared');
          expect(inside || npmPackage, `${relative(repo, file)} imports ${spec}`).toBe(true);
        }
      }
    }
  });
});
