import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { Tools } from '@nexus/plugin-sdk';
import { createTestKernel } from '../../src/kernel/testing/index.js';
import { tempDir, testKernel, TOOL_ENTRY, writePlugin } from '../helpers/fixtures.js';

const run = promisify(execFile);
const repo = join(import.meta.dirname, '../..');
const inRepo: string[] = [];
afterEach(() => {
  for (const dir of inRepo.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('found in review', () => {
  it('times out a hung activate() even when nothing else keeps the process alive', async () => {
    const root = tempDir();
    writePlugin(root, { id: 'hang', entry: `import { definePlugin } from '@nexus/plugin-sdk'; export default definePlugin({ activate: () => new Promise(() => {}) });` });
    const script = `
      const { Kernel, configFromData, MemoryLogger } = await import(${JSON.stringify(join(repo, 'dist/kernel/index.js'))});
      const kernel = new Kernel({ config: configFromData({ plugins: { load: { paths: [${JSON.stringify(root)}] } } }), home: ${JSON.stringify(join(root, 'home'))},
        workspaceDir: ${JSON.stringify(root)}, builtinDirs: [], packageDirs: [], logger: new MemoryLogger(), timeouts: { activateMs: 200 } });
      await kernel.activate('hang', 'test').catch((e) => console.log(kernel.record('hang').diagnostics[0].code));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
    expect(stdout.trim()).toBe('plugin.activate-timeout');
  });

  it('reports a dependency cycle and a failed dependency once each', async () => {
    const root = tempDir();
    writePlugin(root, { id: 'a', manifest: { requires: { b: '*' } } });
    writePlugin(root, { id: 'b', manifest: { requires: { a: '*' } } });
    writePlugin(root, { id: 'base', entry: `throw new Error('no');` });
    writePlugin(root, { id: 'user', manifest: { requires: { base: '*' }, activation: ['onStartup'] } });
    const { kernel } = testKernel({ loadPaths: [root] });
    await kernel.start();
    expect(kernel.record('a')!.diagnostics.map((d) => d.code)).toEqual(['plugin.dependency-cycle']);
    expect(kernel.record('user')!.diagnostics.map((d) => d.code)).toEqual(['plugin.dependency-failed']);
  });

  it('tells plugin.failed subscribers about plugins quarantined at run time', async () => {
    const root = tempDir();
    const log = join(root, 'events.log');
    writePlugin(root, {
      id: 'watcher',
      manifest: { contributes: { hooks: [{ name: 'plugin.failed' }] }, activation: ['onStartup'] },
      entry: `import { appendFileSync } from 'node:fs'; import { definePlugin } from '@nexus/plugin-sdk';
export default definePlugin({ register(ctx) { ctx.onHook('plugin.failed', (p) => appendFileSync(${JSON.stringify(log)}, p.pluginId + ':' + p.diagnostic.code + '\\n')); } });`,
    });
    writePlugin(root, { id: 'base', entry: `throw new Error('no');`, manifest: { activation: ['onStartup'] } });
    writePlugin(root, { id: 'user', manifest: { requires: { base: '*' } } });
    const { kernel } = testKernel({ loadPaths: [root] });
    await kernel.start();
    await kernel.stop();
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(log, 'utf8').trim().split('\n').sort()).toEqual(['base:plugin.import-failed', 'user:plugin.dependency-failed']);
  });

  it('never prints secret values in config errors', () => {
    const root = tempDir();
    writePlugin(root, {
      id: 'vault',
      manifest: { configSchema: { type: 'object', properties: { api_key: { type: 'string', pattern: '^sk-' }, passphrase: { type: 'string', writeOnly: true, minLength: 40 }, region: { enum: ['eu', 'us'] } } } },
    });
    const { kernel } = testKernel({ loadPaths: [root], plugins: { entries: { vault: { config: { api_key: 'hunter2-live', passphrase: 'correct horse', region: 'mars' } } } } });
    const text = JSON.stringify(kernel.record('vault')!.diagnostics);
    expect(text).not.toContain('hunter2-live');
    expect(text).toContain('(value withheld: it is a secret) does not match the pattern ^sk-');
    expect(text).toContain('must be one of \\"eu\\", \\"us\\", found \\"mars\\"');
  });

  it('loads a CommonJS entry the same way natively and compiled', async () => {
    const cjs = `const { definePlugin, Tools } = require('@nexus/plugin-sdk');
module.exports = definePlugin({ register(ctx) { ctx.contribute(Tools, 'cjs').toConstantValue({ async execute() { return { content: 'cjs' }; } }); } });`;
    const native = mkdtempSync(join(repo, 'test', '.tmp-'));
    inRepo.push(native);
    for (const root of [native, tempDir()]) {
      writePlugin(root, { id: 'cjs', main: 'index.cjs', entry: cjs, manifest: { contributes: { tools: [{ name: 'cjs' }] } } });
      const { kernel } = testKernel({ loadPaths: [root] });
      expect(kernel.loadStrategy('cjs')).toBe(root === native ? 'native' : 'compiled');
      const tool = await kernel.contributions.get(Tools, 'cjs');
      expect((await tool.execute({}, undefined as never)).content).toBe('cjs');
    }
  });

  it('warns about activation events that can never fire', () => {
    const root = tempDir();
    writePlugin(root, { id: 'odd', manifest: { activation: ['onStartup', 'onTool:ghost', 'onHook:kernel.nope', 'onHook:kernel.ready'] } });
    const { kernel } = testKernel({ loadPaths: [root] });
    const problems = kernel.record('odd')!.diagnostics;
    expect(problems.map((d) => [d.code, d.source?.pointer])).toEqual([
      ['manifest.activation-unreachable', '/activation/1'],
      ['manifest.activation-unreachable', '/activation/2'],
    ]);
    expect(kernel.record('odd')!.state).toBe('discovered');
  });

  it("explains that a contribution's owner is quarantined rather than absent", async () => {
    const root = tempDir();
    writePlugin(root, { id: 'needs', manifest: { requires: { missing: '*' }, contributes: { tools: [{ name: 'needy' }] } }, entry: TOOL_ENTRY('needy') });
    const { kernel } = testKernel({ loadPaths: [root] });
    await expect(kernel.contributions.get(Tools, 'needy')).rejects.toThrow(
      'plugin needs contributes tools "needy" but is quarantined: requires missing@*, but no plugin "missing" was found',
    );
  });

  it('lets createTestKernel load the real plugins a plugin requires', async () => {
    const root = tempDir();
    const base = writePlugin(root, {
      id: 'base',
      manifest: { contributes: { services: [{ name: 'test.base' }] } },
      entry: `import { definePlugin, createToken } from '@nexus/plugin-sdk'; export default definePlugin({ register(ctx) { ctx.provide(createToken('test.base')).toConstantValue('from base'); } });`,
    });
    const user = writePlugin(root, {
      id: 'user',
      manifest: { requires: { base: '^1.0.0' }, contributes: { tools: [{ name: 'u' }] } },
      entry: `import { definePlugin, createToken, Tools } from '@nexus/plugin-sdk';
export default definePlugin({ register(ctx) { ctx.contribute(Tools, 'u').toDynamicValue((c) => ({ async execute() { return { content: c.get(createToken('test.base')) }; } })); } });`,
    });
    await using test = createTestKernel({ plugin: user, with: [base] });
    const tool = await test.contributions.get(Tools, 'u');
    expect((await tool.execute({}, undefined as never)).content).toBe('from base');
  });
});
