import { describe, expect, it } from 'vitest';
import type { ModifyingHooks } from '@nexus/plugin-sdk';
import { MemoryLogger } from '../../src/kernel/index.js';
import { KernelHookBus, type HookFailure } from '../../src/kernel/runtime/hook-bus.js';
import { tempDir, testKernel, writePlugin } from '../helpers/fixtures.js';

type ToolBefore = ModifyingHooks['tool.before'];
const call: ToolBefore = { sessionId: 's1', agentId: 'main', channel: 'test', tool: 'shell', callId: 'c1', input: { command: 'ls' } };

function bus(deadlineMs = 1_000) {
  const failures: HookFailure[] = [];
  const logger = new MemoryLogger();
  return { bus: new KernelHookBus(logger, () => undefined, deadlineMs, undefined, (f) => failures.push(f)), failures, logger };
}

describe('modifying hooks on the bus', () => {
  it('skips a handler that throws, hangs past its deadline or returns an unusable value, naming plugin and hook, and passes the value on', async () => {
    const { bus: hooks, failures, logger } = bus(50);
    hooks.subscribe('thrower', 'tool.before', () => {
      throw new Error('policy store down');
    }, 1);
    hooks.subscribe('sleeper', 'tool.before', () => new Promise(() => undefined), 2);
    hooks.subscribe('forgetful', 'tool.before', () => undefined, 3);
    hooks.subscribe('sloppy', 'tool.before', (v: ToolBefore) => ({ ...v, deny: 42 }), 4);
    hooks.subscribe('rewriter', 'tool.before', (v: ToolBefore) => ({ ...v, input: { command: 'ls -la' } }), 5);

    expect(await hooks.modify('tool.before', call)).toEqual({ ...call, input: { command: 'ls -la' } });
    expect(failures.map((f) => [f.pluginId, f.hook])).toEqual([
      ['thrower', 'tool.before'],
      ['sleeper', 'tool.before'],
      ['forgetful', 'tool.before'],
      ['sloppy', 'tool.before'],
    ]);
    expect(failures[1]!.message).toMatch(/did not finish within 50 ms/);
    expect(failures[2]!.message).toMatch(/returned an unusable value: it returned undefined; return the value it was given/);
    expect(failures[3]!.message).toMatch(/deny is number, expected a non-empty string or undefined/);
    expect(logger.entries.filter((e) => e.level === 'error').map((e) => e.msg)[0]).toBe(
      'hook tool.before handler of plugin thrower failed: policy store down; skipped, the value passed on without its change',
    );
  });

  it('uses the hook\'s own deadline when it is shorter than the kernel\'s', async () => {
    const { bus: hooks, failures } = bus(60_000);
    hooks.subscribe('slow', 'turn.before', (v: object) => new Promise((resolve) => setTimeout(() => resolve(v), 2_500)));
    const started = performance.now();
    await hooks.modify('turn.before', { sessionId: 's', agentId: 'a', channel: 'c', message: 'hi', metadata: {} });
    expect(performance.now() - started).toBeLessThan(2_400);
    expect(failures[0]!.message).toMatch(/did not finish within 2000 ms/);
  });

  it('ends the chain at a veto, so no later handler can lift it', async () => {
    const { bus: hooks } = bus();
    const seen: string[] = [];
    hooks.subscribe('late', 'tool.before', (v: ToolBefore) => (seen.push('late'), { ...v, deny: undefined }), 10);
    hooks.subscribe('guard', 'tool.before', (v: ToolBefore) => (seen.push('guard'), { ...v, deny: 'no shell access' }), -10);
    expect(await hooks.modify('tool.before', call)).toMatchObject({ deny: 'no shell access' });
    expect(seen).toEqual(['guard']);
  });

  it('refuses an observer on a modifying hook and a modifier on an observing one, and unsubscribes through the returned function', async () => {
    const { bus: hooks } = bus();
    expect(() => hooks.subscribe('p', 'tool.before', () => undefined, 0, 'observe')).toThrow('"tool.before" is a modifying hook: subscribe with onModify');
    expect(() => hooks.subscribe('p', 'turn.started', () => undefined, 0, 'modify')).toThrow('"turn.started" is an observing hook: subscribe with onHook');
    const off = hooks.subscribe('p', 'tool.before', (v: ToolBefore) => ({ ...v, deny: 'off' }), 0, 'modify');
    expect(await hooks.modify('tool.before', call)).toMatchObject({ deny: 'off' });
    off();
    expect(await hooks.modify('tool.before', call)).toBe(call);
  });
});

const HOOKS_ENTRY = (body: string) => `import { definePlugin, HookHandlers, inject, injectable, PluginConfigToken } from '@nexus/plugin-sdk';
${body}`;

describe('modifying hooks in the kernel', () => {
  it('activates a declaring plugin on the hook\'s first call, resolves its HookHandlers class from its container, and orders it by the manifest priority', async () => {
    const root = tempDir();
    writePlugin(root, {
      id: 'policy',
      main: 'index.ts',
      manifest: {
        configSchema: { type: 'object', properties: { reason: { type: 'string' } } },
        contributes: { hooks: [{ name: 'tool.before', priority: -5 }] },
      },
      entry: HOOKS_ENTRY(`
@injectable()
class Policy {
  constructor(@inject(PluginConfigToken) private readonly config: { reason: string }) {}
  handle(call: any) { return call.tool === 'shell' ? { ...call, deny: this.config.reason } : call; }
}
export default definePlugin({ register(ctx) { ctx.contribute(HookHandlers, 'tool.before').to(Policy); } });`),
    });
    writePlugin(root, {
      id: 'rewriter',
      manifest: { contributes: { hooks: [{ name: 'tool.before' }] } },
      entry: `import { definePlugin } from '@nexus/plugin-sdk';
export default definePlugin({ activate(ctx) { ctx.onModify('tool.before', (call) => ({ ...call, input: { rewritten: true } })); } });`,
    });
    const { kernel } = testKernel({ loadPaths: [root], plugins: { entries: { policy: { config: { reason: 'no shell here' } } } } });
    await kernel.start();
    // Installed and enabled, but nothing has called the hook: neither plugin has run.
    expect([kernel.record('policy')!.state, kernel.record('rewriter')!.state]).toEqual(['discovered', 'discovered']);

    expect(await kernel.hooks.modify('tool.before', { ...call, tool: 'read' })).toEqual({ ...call, tool: 'read', input: { rewritten: true } });
    expect(await kernel.hooks.modify('tool.before', call)).toEqual({ ...call, deny: 'no shell here' });
    expect([kernel.record('policy')!.state, kernel.record('rewriter')!.state]).toEqual(['active', 'active']);

    // Stopping a plugin drops what it subscribed in activate().
    await kernel.stop();
    expect(await kernel.hooks.modify('tool.before', call)).toBe(call);
  });

  it('fails a plugin that subscribes a modifying hook its manifest does not declare, in register or in activate', async () => {
    const root = tempDir();
    writePlugin(root, {
      id: 'sneaky-register',
      manifest: { activation: ['onStartup'] },
      entry: `import { definePlugin } from '@nexus/plugin-sdk';
export default definePlugin({ register(ctx) { ctx.onModify('message.sending', (m) => m); } });`,
    });
    writePlugin(root, {
      id: 'sneaky-activate',
      manifest: { activation: ['onStartup'] },
      entry: `import { definePlugin } from '@nexus/plugin-sdk';
export default definePlugin({ activate(ctx) { ctx.onModify('message.sending', (m) => m); } });`,
    });
    const { kernel } = testKernel({ loadPaths: [root] });
    await kernel.start();
    expect(kernel.record('sneaky-register')!.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'plugin.contribution-undeclared', message: 'register() bound hooks "message.sending", which the manifest does not declare', hint: expect.stringContaining('add { "name": "message.sending" } to contributes.hooks') }),
    );
    expect(kernel.record('sneaky-activate')!.state).toBe('failed');
    expect(JSON.stringify(kernel.record('sneaky-activate')!.diagnostics)).toContain('subscribes to the modifying hook \\"message.sending\\" in activate(), but');
    expect(await kernel.hooks.modify('message.sending', { channel: 'c', accountId: 'a', sessionId: 's', target: 't', messageId: 'm', content: 'hi' })).toMatchObject({ content: 'hi' });
  });

  it('notes a failing handler on its own plugin and still applies the other plugins\' handlers', async () => {
    const root = tempDir();
    writePlugin(root, {
      id: 'broken',
      manifest: { contributes: { hooks: [{ name: 'message.sending' }] } },
      entry: `import { definePlugin } from '@nexus/plugin-sdk';
export default definePlugin({ register(ctx) { ctx.onModify('message.sending', () => { throw new Error('moderation API unreachable'); }); } });`,
    });
    writePlugin(root, {
      id: 'signature',
      manifest: { contributes: { hooks: [{ name: 'message.sending' }] } },
      entry: `import { definePlugin } from '@nexus/plugin-sdk';
export default definePlugin({ register(ctx) { ctx.onModify('message.sending', (m) => ({ ...m, content: m.content + ' (sent by Nexus)' }), { priority: 10 }); } });`,
    });
    const { kernel } = testKernel({ loadPaths: [root] });
    await kernel.start();
    const value = { channel: 'c', accountId: 'a', sessionId: 's', target: 't', messageId: 'm', content: 'hi' };
    expect((await kernel.hooks.modify('message.sending', value)).content).toBe('hi (sent by Nexus)');
    await kernel.hooks.modify('message.sending', value);
    const noted = kernel.record('broken')!.diagnostics.filter((d) => d.code === 'hook.handler-failed');
    expect(noted).toEqual([
      expect.objectContaining({ level: 'warning', pluginId: 'broken', message: 'hook message.sending: the handler failed and was skipped: moderation API unreachable' }),
    ]);
    expect(kernel.record('signature')!.diagnostics).toEqual([]);
    expect(kernel.record('broken')!.state).toBe('active');
  });

  it('fails a plugin whose HookHandlers class is contributed under a name that is no hook', async () => {
    const root = tempDir();
    writePlugin(root, {
      id: 'typo',
      manifest: { activation: ['onStartup'], contributes: { hooks: [{ name: 'tool.befor' }] } },
      entry: `import { definePlugin, HookHandlers } from '@nexus/plugin-sdk';
export default definePlugin({ register(ctx) { ctx.contribute(HookHandlers, 'tool.befor').toConstantValue({ handle: (v) => v }); } });`,
    });
    const { kernel } = testKernel({ loadPaths: [root] });
    await kernel.start();
    expect(kernel.record('typo')!.state).toBe('failed');
    expect(JSON.stringify(kernel.record('typo')!.diagnostics)).toContain('unknown hook \\"tool.befor\\"');
  });
});
