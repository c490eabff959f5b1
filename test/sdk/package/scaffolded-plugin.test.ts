import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { valid, validRange } from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ajv2020 as Ajv2020Type } from 'ajv/dist/2020.js';
import { Tools } from '@nexus/plugin-sdk';
import { configFromData, Kernel, MemoryLogger } from '../../../src/kernel/index.js';
import { fakeLlm, nexusInstance, openStream, sentToModel } from '../../e2e/serve-harness.js';
import { startFakeOpenAI, textReply, toolCallReply } from '../../fixtures/llm-servers/index.js';
import { requireFreshBuild } from '../../e2e/harness/build-check.js';
import { npm, repo, sdkTarball } from './sdk-tarball.js';

// What a plugin author gets from `nexus plugins new`: the built CLI writes the package, npm
// installs it (the SDK from its tarball, the host as a file: link to this checkout, so all of it
// works offline), it builds and passes its own test, and the host loads it unchanged. One npm
// install per run: the other kinds share the tool plugin's node_modules.
const cli = join(repo, 'dist/cli/main.js');
const tsc = join(repo, 'node_modules/typescript/bin/tsc');
const KINDS = ['tool', 'channel', 'provider', 'storage', 'command'] as const;
let root: string;
const dirOf = (kind: string) => join(root, `acme-${kind}`);

function nexusCli(args: readonly string[], cwd: string): string {
  return execFileSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NEXUS_HOME: join(root, '.home'), NEXUS_CONFIG: '' } });
}

function manifestValidator(): Ajv2020Type {
  const require = createRequire(import.meta.url);
  const { Ajv2020 } = require('ajv/dist/2020.js') as { Ajv2020: new (options: object) => Ajv2020Type };
  const addFormats = require('ajv-formats') as (ajv: Ajv2020Type) => void;
  const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addFormat('semver', { type: 'string', validate: (v: string) => valid(v) !== null });
  ajv.addFormat('semver-range', { type: 'string', validate: (v: string) => validRange(v) !== null });
  return ajv;
}

beforeAll(() => {
  requireFreshBuild();
  const tarball = sdkTarball();
  root = mkdtempSync(join(tmpdir(), 'nexus-scaffold-'));
  for (const kind of KINDS) nexusCli(['plugins', 'new', `acme-${kind}`, '--kind', kind, '--sdk', tarball], root);
  npm(['install', '--prefer-offline'], dirOf('tool'));
  for (const kind of KINDS) if (kind !== 'tool') symlinkSync(join(dirOf('tool'), 'node_modules'), join(dirOf(kind), 'node_modules'));
}, 300_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('a plugin made by `nexus plugins new`', () => {
  it('installs the SDK from the tarball, builds with tsc and passes its own test (the testing kit in the real host)', () => {
    const installed = JSON.parse(readFileSync(join(dirOf('tool'), 'node_modules/@nexus/plugin-sdk/package.json'), 'utf8')) as { version: string };
    expect(installed.version).toBe('1.0.0');
    const output = npm(['test'], dirOf('tool'));
    // Node 20's runner reports in TAP when not on a terminal (`# pass 3`), Node 24's in its spec format (`ℹ pass 3`).
    expect(output).toMatch(/^(#|ℹ) pass 3$/m);
    expect(output).toMatch(/^(#|ℹ) fail 0$/m);
  }, 120_000);

  it.each(KINDS)('of kind %s has a manifest the published schema accepts and type-checks', (kind) => {
    const schema = JSON.parse(readFileSync(join(repo, 'plugin-sdk/manifest.schema.json'), 'utf8')) as object;
    const validate = manifestValidator().compile(schema);
    const manifest = JSON.parse(readFileSync(join(dirOf(kind), 'nexus.plugin.json'), 'utf8')) as unknown;
    expect(validate(manifest), JSON.stringify(validate.errors)).toBe(true);
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', join(dirOf(kind), 'tsconfig.json'), '--noEmit'], { cwd: dirOf(kind), encoding: 'utf8' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).toBe('');
  }, 120_000);

  it('loads into the host from plugins.load.paths: listed enabled, its tool runs through the kernel', async () => {
    const dir = dirOf('tool');
    const config = join(root, 'nexus.yaml');
    writeFileSync(config, `plugins:\n  load:\n    paths: [${JSON.stringify(dir)}]\n`);
    const listed = (JSON.parse(nexusCli(['--config', config, 'plugins', 'list', '--json'], root)) as { id: string; enabled: boolean; state: string }[]).find((p) => p.id === 'acme-tool');
    expect(listed).toMatchObject({ enabled: true, state: 'discovered' });
    expect(JSON.parse(nexusCli(['--config', config, 'plugins', 'info', 'acme-tool', '--json'], root))).toMatchObject({ id: 'acme-tool', contributes: { tools: [{ name: 'acme-tool' }] } });

    const home = mkdtempSync(join(tmpdir(), 'nexus-scaffold-home-'));
    const kernel = new Kernel({ config: configFromData({ plugins: { load: { paths: [dir] }, entries: { 'acme-tool': { config: { greeting: 'Hey' } } } } }), home, workspaceDir: home, builtinDirs: [], packageDirs: [], logger: new MemoryLogger() });
    try {
      const tool = await kernel.contributions.get(Tools, 'acme-tool');
      expect(await tool.execute({ name: 'Ada' }, undefined as never)).toEqual({ content: 'Hey, Ada!' });
      expect(kernel.record('acme-tool')!.state).toBe('active');
    } finally {
      await kernel.stop();
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);

  it('runs in `nexus serve`: ready, and a gateway turn calls its tool', async () => {
    await using llm = await startFakeOpenAI();
    llm.push(toolCallReply([{ name: 'acme-tool', input: { name: 'Ada' } }]), textReply('Greeted Ada.'));
    const nexus = nexusInstance({ llm: fakeLlm(llm), plugins: { load: { paths: [dirOf('tool')] } } });
    const server = await nexus.serve();
    try {
      const ready = await fetch(`${server.httpUrl}/readyz`, { signal: AbortSignal.timeout(10_000) });
      expect(ready.status).toBe(200);
      const stream = openStream(server.target);
      stream.send('greet Ada');
      expect((await stream.turnEnds(1, 30_000))[0]).toMatchObject({ $case: 'messageComplete', value: { message: { content: 'Greeted Ada.' } } });
      // The model was offered the tool and got its result back in the second call.
      expect(sentToModel(llm, 0)).toContain('"acme-tool"');
      expect(sentToModel(llm, 1)).toContain('Hello, Ada!');
    } finally {
      expect(await server.stop()).toEqual({ code: 0, signal: null });
    }
  }, 90_000);
});
