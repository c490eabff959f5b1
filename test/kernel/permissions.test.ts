import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { tempDir, testKernel, writeFile, writePlugin } from '../helpers/fixtures.js';

// A provider of one sensitive and one ordinary service.
const VAULT = `import { definePlugin, createToken } from '@nexus/plugin-sdk';
export default definePlugin({ register(ctx) {
  ctx.provide(createToken('test.vault.secrets')).toConstantValue({ secret: 's3cret' });
  ctx.provide(createToken('test.vault.stats')).toConstantValue({ count: 1 });
} });`;
const VAULT_MANIFEST = { contributes: { services: [{ name: 'test.vault.secrets', sensitive: true }, { name: 'test.vault.stats' }] } };

/** A consumer that hands out what it could resolve, each way a plugin resolves a service. */
const CONSUMER = (id: string) => `import { definePlugin, createToken, inject, injectable, ServicesToken } from '@nexus/plugin-sdk';
const Secrets = createToken('test.vault.secrets');
class ByConstructor { constructor(secrets) { this.secrets = secrets; } }
inject(Secrets)(ByConstructor, undefined, 0);
injectable()(ByConstructor);
class ByRegistry { constructor(services) { this.services = services; } }
inject(ServicesToken)(ByRegistry, undefined, 0);
injectable()(ByRegistry);
export default definePlugin({
  register(ctx) {
    ctx.bind(ByConstructor).toSelf();
    ctx.bind(ByRegistry).toSelf();
    ctx.provide(createToken('${id}.probe')).toDynamicValue((c) => ({
      viaServices: () => c.get(ServicesToken).get(Secrets),
      viaInjectedRegistry: () => c.get(ByRegistry).services.get(Secrets),
      viaConstructor: () => c.get(ByConstructor).secrets,
      viaContext: () => c.get(Secrets),
      stats: () => c.get(ServicesToken).get(createToken('test.vault.stats')),
    }));
  },
});`;

type Probe = { viaServices(): Promise<unknown>; viaInjectedRegistry(): Promise<unknown>; viaConstructor(): unknown; viaContext(): unknown; stats(): Promise<unknown> };

function vaultKernel() {
  const root = tempDir();
  writePlugin(root, { id: 'vault', manifest: VAULT_MANIFEST, entry: VAULT });
  writePlugin(root, { id: 'nosy', manifest: { requires: { vault: '*' }, contributes: { services: [{ name: 'nosy.probe' }] } }, entry: CONSUMER('nosy') });
  writePlugin(root, { id: 'trusted', manifest: { requires: { vault: '*' }, permissions: ['test.vault.secrets'], contributes: { services: [{ name: 'trusted.probe' }] } }, entry: CONSUMER('trusted') });
  return { root, ...testKernel({ loadPaths: [root] }) };
}

describe('permissions for sensitive services', () => {
  it('refuses a sensitive service to a plugin that did not ask for it, whichever way it resolves it, naming the permission', async () => {
    const { kernel } = vaultKernel();
    const probe = (await kernel.services.get(Symbol.for('nosy.probe'))) as Probe;
    const fix = /plugin nosy resolved the sensitive service "test\.vault\.secrets" \(provided by vault\) without permission: add "permissions": \["test\.vault\.secrets"\] to its nexus\.plugin\.json/;
    await expect(probe.viaServices()).rejects.toThrow(fix);
    await expect(probe.viaInjectedRegistry()).rejects.toThrow(fix);
    expect(() => probe.viaConstructor()).toThrow(fix);
    expect(() => probe.viaContext()).toThrow(fix);
    // What is not sensitive stays reachable, and the refusal touches no other plugin.
    await expect(probe.stats()).resolves.toEqual({ count: 1 });
    expect(kernel.record('vault')!.state).toBe('active');
  });

  it('hands it to a plugin that lists it under permissions, and to its provider', async () => {
    const { kernel } = vaultKernel();
    const probe = (await kernel.services.get(Symbol.for('trusted.probe'))) as Probe;
    await expect(probe.viaServices()).resolves.toEqual({ secret: 's3cret' });
    await expect(probe.viaInjectedRegistry()).resolves.toEqual({ secret: 's3cret' });
    expect(probe.viaConstructor()).toEqual({ secret: 's3cret' });
    expect(probe.viaContext()).toEqual({ secret: 's3cret' });
    // The host itself (the CLI, the kernel's registry) is not a plugin and is not refused.
    await expect(kernel.services.get(Symbol.for('test.vault.secrets'))).resolves.toEqual({ secret: 's3cret' });
  });

  it('fails only the plugin whose activation needs a service it may not reach, with the fix in its diagnostic', async () => {
    const root = tempDir();
    writePlugin(root, { id: 'vault', manifest: VAULT_MANIFEST, entry: VAULT });
    writePlugin(root, {
      id: 'greedy',
      manifest: { requires: { vault: '*' }, activation: ['onStartup'] },
      entry: `import { definePlugin, createToken } from '@nexus/plugin-sdk';
export default definePlugin({ async activate(ctx) { await ctx.services.get(createToken('test.vault.secrets')); } });`,
    });
    const { kernel } = testKernel({ loadPaths: [root] });
    await kernel.start();
    expect(kernel.record('greedy')).toMatchObject({ state: 'failed' });
    expect(kernel.record('greedy')!.diagnostics.map((d) => d.message).join('\n')).toMatch(/add "permissions": \["test\.vault\.secrets"\]/);
    expect(kernel.record('vault')!.state).toBe('active');
  });

  it('shows in plugins info what a plugin may reach', async () => {
    const { root } = vaultKernel();
    const config = writeFile(`${root}/nexus.yaml`, `plugins:\n  load:\n    paths: [${root}]\n`);
    let out = '';
    const code = await runCli(['--config', config, 'plugins', 'info', 'trusted'], { stdout: (t) => (out += t), stderr: (t) => (out += t), env: { NEXUS_HOME: tempDir() }, cwd: root });
    expect(code).toBe(0);
    expect(out).toMatch(/permissions: +test\.vault\.secrets \(sensitive, provided by vault\)/);
    out = '';
    await runCli(['--config', config, 'plugins', 'info', 'nosy', '--json'], { stdout: (t) => (out += t), stderr: () => undefined, env: { NEXUS_HOME: tempDir() }, cwd: root });
    expect(JSON.parse(out)).toMatchObject({ permissions: [] });
  });
});
