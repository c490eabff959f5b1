import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Kernel, loadConfigFile, MemoryLogger, renderConfigReference } from '../../src/kernel/index.js';

const repo = join(import.meta.dirname, '../..');
const plainInstall = (config?: ReturnType<typeof loadConfigFile>) =>
  new Kernel({ ...(config ? { config } : {}), home: tmpdir(), workspaceDir: tmpdir(), packageDirs: [], discoveryIndex: false, logger: new MemoryLogger() });

describe('docs and schema stay in step', () => {
  it('docs/config-reference.md is what the composed schema renders (run `npm run docs:config`)', () => {
    const expected = renderConfigReference(plainInstall().configSchema());
    expect(readFileSync(join(repo, 'docs/config-reference.md'), 'utf8')).toBe(expected);
  });

  it('nexus.example.yaml names every section and validates against the composed schema', () => {
    const kernel = plainInstall(loadConfigFile(join(repo, 'nexus.example.yaml'), { env: {} }));
    const problems = [...kernel.diagnostics(), ...kernel.list().flatMap((p) => p.diagnostics)];
    expect(problems).toEqual([]);
    const sections = Object.keys((kernel.configSchema() as { properties: object }).properties).sort();
    expect(Object.keys(kernel.config.data).sort()).toEqual(sections);
  });
});
