import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { declaresInversify } from '../../src/kernel/load/shared-modules.js';
import { tempDir, writeFile } from '../helpers/fixtures.js';

function pluginWith(packageJson: string | undefined): string {
  const dir = tempDir('nexus-declares-');
  if (packageJson !== undefined) writeFile(join(dir, 'package.json'), packageJson);
  return dir;
}

describe('whether a plugin package may import inversify itself (and so needs the loader hooks)', () => {
  it('says no for a package that depends on the SDK alone', () => {
    expect(declaresInversify(pluginWith(JSON.stringify({ name: 'p', peerDependencies: { '@nexus/plugin-sdk': '^0.1.0' }, dependencies: { zod: '^3' } })))).toBe(false);
  });

  it('says yes for inversify, one of its parts or reflect-metadata in any dependency field', () => {
    for (const [field, name] of [
      ['peerDependencies', 'inversify'],
      ['dependencies', '@inversifyjs/core'],
      ['optionalDependencies', 'reflect-metadata'],
      ['devDependencies', 'inversify'],
    ] as const) {
      expect(declaresInversify(pluginWith(JSON.stringify({ name: 'p', [field]: { [name]: '*' } }))), `${field} ${name}`).toBe(true);
    }
  });

  it('says yes when there is no package.json to ask, or one that does not parse', () => {
    expect(declaresInversify(pluginWith(undefined))).toBe(true);
    expect(declaresInversify(pluginWith('{ "name": "p", '))).toBe(true);
  });
});
