import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { requireFreshBuild } from '../e2e/harness/build-check.js';
import { tempDir, writeFile, writePlugin } from '../helpers/fixtures.js';

const run = promisify(execFile);
const repo = join(import.meta.dirname, '../..');
const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// A plugin that hands the host its own `inversify` and SDK, and a class wired with its own
// inversify's decorators for the host's container to build.
const PROBE = (token: string) => `import { Container, inject, injectable } from 'inversify';
import 'reflect-metadata';
import { definePlugin, createToken, PluginConfigToken } from '@nexus/plugin-sdk';
const Probe = createToken('${token}');
class Wired { constructor(config) { this.config = config; } }
inject(PluginConfigToken)(Wired, undefined, 0);
injectable()(Wired);
export default definePlugin({
  register(ctx) { ctx.provide(Probe).toDynamicValue((c) => ({ Container, definePlugin, wired: c.get(Wired), resolved: import.meta.resolve('inversify') })); ctx.bind(Wired).toSelf(); },
});
`;

/**
 * The SDK package carries the one inversify that the host and its plugins share; a plugin
 * importing `inversify` must get that copy, not the one installed beside the host. Run against dist/ in a plain Node process (the test
 * runner has a module loader of its own).
 */
describe('the host shares the SDK and its inversify with plugins', () => {
  it('gives a natively imported JS plugin and a compiled TS plugin the SDK\'s copies', async () => {
    requireFreshBuild();
    // Inside the repository, plain Node resolution reaches the installed inversify: the native path.
    const inRepo = mkdtempSync(join(repo, 'node_modules', '.cache', 'nexus-bundled-'));
    made.push(inRepo);
    mkdirSync(inRepo, { recursive: true });
    writePlugin(inRepo, { id: 'js-probe', manifest: { contributes: { services: [{ name: 'test.probe.js' }] } }, entry: PROBE('test.probe.js') });
    // A bare folder with TypeScript: compiled on load.
    const bare = tempDir();
    writePlugin(bare, { id: 'ts-probe', main: 'index.ts', manifest: { contributes: { services: [{ name: 'test.probe.ts' }] } }, entry: PROBE('test.probe.ts') });
    const dist = (path: string) => JSON.stringify(join(repo, 'dist', path));
    const sdk = (path: string) => JSON.stringify(join(repo, 'plugin-sdk', 'dist', path));
    const script = `
      const { Kernel, configFromData, MemoryLogger } = await import(${dist('kernel/index.js')});
      const hostInversify = await import(${sdk('shared/inversify.js')});
      const hostSdk = await import(${sdk('index.js')});
      const kernel = new Kernel({ config: configFromData({ plugins: { load: { paths: [${JSON.stringify(inRepo)}, ${JSON.stringify(bare)}] } } }),
        home: ${JSON.stringify(join(bare, 'home'))}, workspaceDir: ${JSON.stringify(bare)}, builtinDirs: [], packageDirs: [], logger: new MemoryLogger() });
      const report = {};
      for (const id of ['js-probe', 'ts-probe']) {
        const seen = await kernel.services.get(Symbol.for(id === 'js-probe' ? 'test.probe.js' : 'test.probe.ts'));
        report[id] = { strategy: kernel.loadStrategy(id), sameInversify: seen.Container === hostInversify.Container, sameSdk: seen.definePlugin === hostSdk.definePlugin,
          wired: seen.wired.config !== undefined, resolved: seen.resolved };
      }
      await kernel.stop();
      console.log(JSON.stringify(report));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: bare });
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, { strategy: string; sameInversify: boolean; sameSdk: boolean; wired: boolean; resolved: string }>;
    expect(report['js-probe']).toMatchObject({ strategy: 'native', sameInversify: true, sameSdk: true, wired: true });
    expect(report['ts-probe']).toMatchObject({ strategy: 'compiled', sameInversify: true, sameSdk: true, wired: true });
    expect(report['js-probe']!.resolved).toMatch(/\/plugin-sdk\/dist\/shared\/inversify\.js$/);
  });

  it('imports a plugin that takes its decorators from the SDK natively, with no loader hooks and no inversify beside it', async () => {
    requireFreshBuild();
    const inRepo = mkdtempSync(join(repo, 'node_modules', '.cache', 'nexus-sdk-only-'));
    made.push(inRepo);
    const entry = `import { definePlugin, createToken, inject, injectable, PluginConfigToken } from '@nexus/plugin-sdk';
const Probe = createToken('test.probe.sdk');
class Wired { constructor(config) { this.config = config; } }
inject(PluginConfigToken)(Wired, undefined, 0);
injectable()(Wired);
export default definePlugin({ register(ctx) { ctx.provide(Probe).toDynamicValue((c) => ({ wired: c.get(Wired), definePlugin })); ctx.bind(Wired).toSelf(); } });
`;
    const dir = writePlugin(inRepo, { id: 'sdk-probe', manifest: { contributes: { services: [{ name: 'test.probe.sdk' }] } }, entry });
    writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'sdk-probe', type: 'module', peerDependencies: { '@nexus/plugin-sdk': '^1.0.0' } }));
    const home = tempDir();
    const dist = (path: string) => JSON.stringify(join(repo, 'dist', path));
    const sdk = (path: string) => JSON.stringify(join(repo, 'plugin-sdk', 'dist', path));
    const script = `
      const { Kernel, configFromData, MemoryLogger } = await import(${dist('kernel/index.js')});
      const hostSdk = await import(${sdk('index.js')});
      const kernel = new Kernel({ config: configFromData({ plugins: { load: { paths: [${JSON.stringify(inRepo)}] } } }),
        home: ${JSON.stringify(join(home, 'home'))}, workspaceDir: ${JSON.stringify(home)}, builtinDirs: [], packageDirs: [], logger: new MemoryLogger() });
      const seen = await kernel.services.get(Symbol.for('test.probe.sdk'));
      // With the hooks registered, resolving the installed inversify would give the SDK's copy.
      const report = { strategy: kernel.loadStrategy('sdk-probe'), sameSdk: seen.definePlugin === hostSdk.definePlugin, wired: seen.wired.config !== undefined,
        inversify: import.meta.resolve('inversify') };
      await kernel.stop();
      console.log(JSON.stringify(report));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: repo });
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as { strategy: string; sameSdk: boolean; wired: boolean; inversify: string };
    expect(report).toMatchObject({ strategy: 'native', sameSdk: true, wired: true });
    expect(report.inversify).toMatch(/\/node_modules\/inversify\//);
  });
});
