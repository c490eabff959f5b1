import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOOKS } from '@nexus/plugin-sdk';
import { MemoryLogger } from '../../src/kernel/index.js';
import { KernelHookBus } from '../../src/kernel/runtime/hook-bus.js';
import { tempDir, testKernel, writePlugin } from '../helpers/fixtures.js';

const read = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);

describe('lifecycle', () => {
  it('on stop, aborts tracked tasks, waits for them, and unloads bindings so deactivation handlers run', async () => {
    const root = tempDir();
    const log = join(root, 'trace.log');
    writePlugin(root, {
      id: 'worker',
      manifest: { activation: ['onStartup'], contributes: { services: [{ name: 'test.worker' }] } },
      entry: `import { appendFileSync } from 'node:fs';
import { definePlugin, createToken } from '@nexus/plugin-sdk';
const log = (line) => appendFileSync(${JSON.stringify(log)}, line + '\\n');
export default definePlugin({
  register(ctx) {
    ctx.bind(createToken('test.worker')).toConstantValue({ ok: true }, { onUnload: () => log('unbound') });
    ctx.provide(createToken('test.worker'));
  },
  activate(ctx) {
    ctx.tasks.run('poller', (signal) => new Promise((resolve) => signal.addEventListener('abort', () => { log('task aborted'); setTimeout(() => { log('task settled'); resolve(); }, 20); })));
  },
  deactivate() { log('deactivate'); },
});`,
    });
    const { kernel } = testKernel({ loadPaths: [root] });
    await kernel.start();
    await kernel.services.get(Symbol.for('test.worker'));
    const problems = await kernel.stop();
    expect(problems).toEqual([]);
    expect(read(log)).toEqual(['deactivate', 'task aborted', 'task settled', 'unbound']);
    expect(kernel.record('worker')!.state).toBe('discovered');
    await expect(kernel.activate('worker', 'after stop')).rejects.toThrow(/the kernel is stopping/);
  });

  it('reports tasks that ignore their abort signal instead of hanging stop', async () => {
    const root = tempDir();
    writePlugin(root, {
      id: 'stubborn',
      manifest: { activation: ['onStartup'] },
      entry: `import { definePlugin } from '@nexus/plugin-sdk';
export default definePlugin({ activate(ctx) { ctx.tasks.run('forever', () => new Promise(() => {})); } });`,
    });
    const { kernel } = testKernel({ loadPaths: [root], kernel: { timeouts: { deactivateMs: 50 } } });
    await kernel.start();
    const problems = await kernel.stop();
    expect(problems).toContainEqual(expect.objectContaining({ code: 'plugin.tasks-abandoned', pluginId: 'stubborn' }));
  });

  it('keeps two kernels in one process apart', async () => {
    const root = tempDir();
    const dir = writePlugin(root, {
      id: 'counter',
      manifest: { contributes: { services: [{ name: 'test.counter' }] }, configSchema: { type: 'object', properties: { start: { type: 'integer' } } } },
      entry: `import { definePlugin, createToken, PluginConfigToken } from '@nexus/plugin-sdk';
export default definePlugin({ register(ctx) { ctx.provide(createToken('test.counter')).toDynamicValue((c) => ({ n: c.get(PluginConfigToken).start })); } });`,
    });
    const one = testKernel({ loadPaths: [dir], plugins: { entries: { counter: { config: { start: 1 } } } } }).kernel;
    const two = testKernel({ loadPaths: [dir], plugins: { entries: { counter: { config: { start: 2 } } } } }).kernel;
    const a = (await one.services.get(Symbol.for('test.counter'))) as { n: number };
    const b = (await two.services.get(Symbol.for('test.counter'))) as { n: number };
    expect([a.n, b.n]).toEqual([1, 2]);
    await one.stop();
    expect(one.record('counter')!.state).toBe('discovered');
    expect(two.record('counter')!.state).toBe('active');
    expect(await two.services.get(Symbol.for('test.counter'))).toBe(b);
  });
});

describe('hooks', () => {
  it('activates a plugin that declares a hook and delivers the event to it', async () => {
    const root = tempDir();
    const log = join(root, 'trace.log');
    writePlugin(root, {
      id: 'listener',
      manifest: { contributes: { hooks: [{ name: 'kernel.ready' }] } },
      entry: `import { appendFileSync } from 'node:fs';
import { definePlugin } from '@nexus/plugin-sdk';
export default definePlugin({ register(ctx) { ctx.onHook('kernel.ready', (p) => appendFileSync(${JSON.stringify(log)}, 'ready:' + p.activePlugins.length + '\\n')); } });`,
    });
    const { kernel } = testKernel({ loadPaths: [root] });
    await kernel.start();
    expect(read(log)).toEqual(['ready:0']);
  });

  it('isolates a failing, rejecting or hanging observer, logs it with its plugin id, and waits for the rest', async () => {
    const logger = new MemoryLogger();
    const bus = new KernelHookBus(logger, async () => undefined, 50);
    const seen: string[] = [];
    bus.subscribe('bad', 'kernel.stopping', () => {
      throw new Error('observer broke');
    });
    bus.subscribe('slow', 'kernel.stopping', () => new Promise(() => undefined));
    bus.subscribe('rejecting', 'kernel.stopping', async () => {
      throw new Error('observer rejected');
    });
    bus.subscribe('good', 'kernel.stopping', (p: { reason: string }) => void seen.push(p.reason));
    bus.subscribe('async', 'kernel.stopping', async (p: { reason: string }) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(`async ${p.reason}`);
    });
    await bus.emit('kernel.stopping', { reason: 'test' });
    // emit settles once every observer has, the slow one by its deadline.
    expect(seen).toEqual(['test', 'async test']);
    expect(logger.entries.filter((e) => e.level === 'error').map((e) => e.fields.pluginId).sort()).toEqual(['bad', 'rejecting', 'slow']);
  });

  it('runs modifying handlers in priority order, skipping one that fails', async () => {
    const bus = new KernelHookBus(new MemoryLogger(), async () => undefined, 1000, { 'test.shape': 'modify' });
    bus.subscribe('b', 'test.shape', (v: string) => `${v}b`, 20);
    bus.subscribe('a', 'test.shape', (v: string) => `${v}a`, 10);
    bus.subscribe('x', 'test.shape', () => {
      throw new Error('nope');
    }, 15);
    expect(await bus.modify('test.shape' as never, 'start:' as never)).toBe('start:ab');
  });

  it('rejects subscriptions to hooks that do not exist', () => {
    const bus = new KernelHookBus(new MemoryLogger(), async () => undefined, 1000);
    expect(() => bus.subscribe('p', 'kernel.redy', () => undefined)).toThrow(/unknown hook "kernel.redy"/);
  });

  it('has a call site for every declared hook', () => {
    const sources: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== 'contracts') walk(path);
        } else if (path.endsWith('.ts') && !path.endsWith('.test.ts')) sources.push(readFileSync(path, 'utf8'));
      }
    };
    walk(join(import.meta.dirname, '../../src'));
    const code = sources.join('\n');
    for (const [name, mode] of Object.entries(HOOKS)) {
      const call = mode === 'observe' ? 'emit' : 'modify';
      expect(code, `hook "${name}" is declared but never fired`).toMatch(new RegExp(`\\.${call}\\(\\s*'${name.replace('.', '\\.')}'`));
    }
  });
});
