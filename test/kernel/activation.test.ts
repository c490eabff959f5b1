import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Container } from '@nexus/plugin-sdk/shared/inversify';
import { describe, expect, it } from 'vitest';
import { Tools } from '@nexus/plugin-sdk';
import { PluginUnavailableError } from '../../src/kernel/index.js';
import { tempDir, testKernel, TOOL_ENTRY, tracingEntry, writePlugin } from '../helpers/fixtures.js';

const lines = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);

describe('activation', () => {
  it('activates only the plugin that owns a requested contribution', async () => {
    const root = tempDir();
    const log = join(root, 'trace.log');
    writePlugin(root, { id: 'first', manifest: { contributes: { tools: [{ name: 'one' }] } }, entry: TOOL_ENTRY('one') + `import { appendFileSync } from 'node:fs'; appendFileSync(${JSON.stringify(log)}, 'import:first\\n');` });
    writePlugin(root, { id: 'second', manifest: { contributes: { tools: [{ name: 'two' }] } }, entry: TOOL_ENTRY('two') + `import { appendFileSync } from 'node:fs'; appendFileSync(${JSON.stringify(log)}, 'import:second\\n');` });
    const { kernel } = testKernel({ loadPaths: [root] });

    expect(kernel.contributions.names(Tools)).toEqual(['one', 'two']);
    const tool = await kernel.contributions.get(Tools, 'two');
    expect(await tool.execute({}, undefined as never)).toEqual({ content: 'two' });
    expect(lines(log)).toEqual(['import:second']);
    expect(kernel.record('first')!.state).toBe('discovered');
    expect(kernel.record('second')!.state).toBe('active');
  });

  it('never imports a disabled plugin, whatever asks for it', async () => {
    const root = tempDir();
    const log = join(root, 'trace.log');
    writePlugin(root, { id: 'off', entry: tracingEntry(log, 'off'), manifest: { activation: ['onStartup'], contributes: { tools: [{ name: 't' }] } } });
    const { kernel } = testKernel({ loadPaths: [root], plugins: { entries: { off: { enabled: false } } } });
    await kernel.start();
    await expect(kernel.activate('off', 'test')).rejects.toThrow(/disabled \(plugins.entries.off.enabled is false\)/);
    await expect(kernel.contributions.get(Tools, 't')).rejects.toThrow(/no enabled plugin contributes tools "t"/);
    expect(kernel.list()[0]).toMatchObject({ id: 'off', enabled: false, state: 'disabled' });
    expect(existsSync(log)).toBe(false);
  });

  it('starts onStartup plugins after what they require, and stops them in reverse', async () => {
    const root = tempDir();
    const log = join(root, 'trace.log');
    writePlugin(root, { id: 'app', entry: tracingEntry(log, 'app'), manifest: { activation: ['onStartup'], requires: { db: '^1.0.0', cache: '>=1' } } });
    writePlugin(root, { id: 'db', entry: tracingEntry(log, 'db'), manifest: { requires: { cache: '1.x' } } });
    writePlugin(root, { id: 'cache', entry: tracingEntry(log, 'cache') });
    writePlugin(root, { id: 'idle', entry: tracingEntry(log, 'idle') });
    const { kernel } = testKernel({ loadPaths: [root] });
    const report = await kernel.start();
    expect(report.active).toEqual(['app']);
    expect(lines(log).filter((l) => l.startsWith('activate'))).toEqual(['activate:cache', 'activate:db', 'activate:app']);
    await kernel.stop();
    expect(lines(log).filter((l) => l.startsWith('deactivate'))).toEqual(['deactivate:app', 'deactivate:db', 'deactivate:cache']);
    expect(lines(log)).not.toContain('import:idle');
  });

  it('shares the host inversify and SDK with JS and TS plugins in a folder without node_modules', async () => {
    const root = tempDir();
    const probe = `import { Container } from 'inversify';
import * as sdk from '@nexus/plugin-sdk';
import { definePlugin, createToken } from '@nexus/plugin-sdk';
const Probe = createToken('test.probe');
export default definePlugin({
  register(ctx) { ctx.provide(Probe).toConstantValue({ Container, sdk }); },
});
`;
    writePlugin(root, { id: 'js-probe', manifest: { contributes: { services: [{ name: 'test.probe' }] } }, entry: probe });
    writePlugin(root, { id: 'ts-probe', main: 'index.ts', manifest: { contributes: { services: [{ name: 'test.probe.ts' }] } }, entry: probe.replace("'test.probe'", "'test.probe.ts'").replace('const Probe =', 'const Probe: symbol =') });
    const { kernel } = testKernel({ loadPaths: [root] });
    // Node's own loader (not the test runner's) holds the host's single SDK instance.
    const sdkOfHost = createRequire(import.meta.url)('@nexus/plugin-sdk') as Record<string, unknown>;
    const seen = await Promise.all(
      ['test.probe', 'test.probe.ts'].map((id) => kernel.services.get(Symbol.for(id)) as Promise<{ Container: unknown; sdk: Record<string, unknown> }>),
    );
    for (const { Container: pluginContainer, sdk } of seen) {
      expect(pluginContainer).toBe(Container);
      expect(sdk.definePlugin).toBe(sdkOfHost.definePlugin);
      expect(sdk.StoreError).toBe(sdkOfHost.StoreError);
    }
    expect(kernel.record('js-probe')!.state).toBe('active');
    expect(kernel.record('ts-probe')!.state).toBe('active');
  });

  it('gives each plugin its own child container, config, and logger bound to its id', async () => {
    const root = tempDir();
    writePlugin(root, {
      id: 'configured',
      manifest: {
        contributes: { services: [{ name: 'test.configured' }] },
        configSchema: { type: 'object', properties: { greeting: { type: 'string', default: 'hello' }, times: { type: 'integer' } } },
      },
      entry: `import { definePlugin, createToken, PluginConfigToken, LoggerToken } from '@nexus/plugin-sdk';
export default definePlugin({
  register(ctx) {
    ctx.provide(createToken('test.configured')).toDynamicValue((c) => ({ config: c.get(PluginConfigToken), logger: c.get(LoggerToken) }));
  },
});`,
    });
    const { kernel, logger } = testKernel({ loadPaths: [root], plugins: { entries: { configured: { config: { times: 2 } } } } });
    const seen = (await kernel.services.get(Symbol.for('test.configured'))) as { config: unknown; logger: { info(m: string): void } };
    expect(seen.config).toEqual({ greeting: 'hello', times: 2 });
    seen.logger.info('from the plugin');
    expect(logger.entries.find((e) => e.msg === 'from the plugin')?.fields).toMatchObject({ pluginId: 'configured' });
  });

  it('serves an active provider\'s service again without activating, and a failing one as a rejection', async () => {
    const root = tempDir();
    writePlugin(root, {
      id: 'counted',
      manifest: { contributes: { services: [{ name: 'test.counted' }, { name: 'test.broken' }] } },
      entry: `import { definePlugin, createToken } from '@nexus/plugin-sdk';
let made = 0;
export default definePlugin({
  register(ctx) {
    ctx.provide(createToken('test.counted')).toDynamicValue(() => ({ n: ++made }));
    ctx.provide(createToken('test.broken')).toDynamicValue(() => { throw new Error('cannot build it'); });
  },
});`,
    });
    const { kernel } = testKernel({ loadPaths: [root] });
    const first = await kernel.services.get(Symbol.for('test.counted'));
    expect(kernel.list().find((p) => p.id === 'counted')).toMatchObject({ state: 'active' });
    // Provided services are singletons: the lookup that skips activation finds the same one.
    await expect(kernel.services.get(Symbol.for('test.counted'))).resolves.toBe(first);
    const broken = kernel.services.get(Symbol.for('test.broken'));
    expect(broken).toBeInstanceOf(Promise);
    await expect(broken).rejects.toThrow(/cannot build it/);
  });

  it('checks engines.nexus before any code loads', async () => {
    const root = tempDir();
    const log = join(root, 'trace.log');
    writePlugin(root, { id: 'future', entry: tracingEntry(log, 'future'), manifest: { engines: { nexus: '>=9.0.0' }, activation: ['onStartup'] } });
    const { kernel } = testKernel({ loadPaths: [root], kernel: { hostVersion: '0.1.0' } });
    await kernel.start();
    const [future] = kernel.list();
    expect(future).toMatchObject({ state: 'failed' });
    expect(future!.diagnostics[0]).toMatchObject({
      code: 'plugin.engine-mismatch',
      message: 'future supports Nexus >=9.0.0, but this host is 0.1.0',
      source: { pointer: '/engines/nexus', file: expect.stringMatching(/nexus\.plugin\.json$/) },
      hint: 'install a version of future built for Nexus 0.1.0, or widen engines.nexus if it is compatible',
    });
    expect(existsSync(log)).toBe(false);
  });

  it('activates a plugin once even when asked concurrently', async () => {
    const root = tempDir();
    const log = join(root, 'trace.log');
    writePlugin(root, { id: 'once', entry: tracingEntry(log, 'once') });
    const { kernel } = testKernel({ loadPaths: [root] });
    const [a, b] = await Promise.all([kernel.activate('once', 'x'), kernel.activate('once', 'y')]);
    expect(a).toBe(b);
    expect(lines(log)).toEqual(['import:once', 'activate:once']);
  });

  it('rejects with PluginUnavailableError naming the reason', async () => {
    const root = tempDir();
    writePlugin(root, { id: 'boom', entry: `throw new Error('kaput');` });
    const { kernel } = testKernel({ loadPaths: [root] });
    const error = await kernel.activate('boom', 'test').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginUnavailableError);
    expect((error as Error).message).toContain('kaput');
  });

  it('injects another plugin\'s service by constructor once it is required, and explains when it is not', async () => {
    const root = tempDir();
    writePlugin(root, {
      id: 'clock-source',
      manifest: { contributes: { services: [{ name: 'test.time' }] } },
      entry: `import { definePlugin, createToken } from '@nexus/plugin-sdk';
export default definePlugin({ register(ctx) { ctx.provide(createToken('test.time')).toConstantValue({ now: () => 42 }); } });`,
    });
    const consumer = (id: string, requires: object) =>
      writePlugin(root, {
        id,
        manifest: { requires, contributes: { tools: [{ name: id }] } },
        entry: `import { injectable, inject } from 'inversify';
import { definePlugin, createToken, Tools } from '@nexus/plugin-sdk';
const Time = createToken('test.time');
class TimeTool {
  constructor(time) { this.time = time; }
  async execute() { return { content: String(this.time.now()) }; }
}
inject(Time)(TimeTool, undefined, 0);
injectable()(TimeTool);
export default definePlugin({ register(ctx) { ctx.contribute(Tools, ${JSON.stringify(id)}).to(TimeTool); } });`,
      });
    consumer('with-requires', { 'clock-source': '^1.0.0' });
    consumer('without-requires', {});
    const { kernel } = testKernel({ loadPaths: [root] });
    const tool = await kernel.contributions.get(Tools, 'with-requires');
    expect((await tool.execute({}, undefined as never)).content).toBe('42');

    const { kernel: fresh } = testKernel({ loadPaths: [root] });
    await expect(fresh.contributions.get(Tools, 'without-requires')).rejects.toThrow(
      /service "test.time" is provided by plugin clock-source, which is not active yet; add "clock-source" to your plugin's "requires"/,
    );
  });
});
