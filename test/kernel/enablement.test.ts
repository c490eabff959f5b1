import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Kernel, loadConfigFile, MemoryLogger } from '../../src/kernel/index.js';
import type { PluginsConfig } from '../../src/kernel/config/index.js';
import { decideEnablement } from '../../src/kernel/plan/enablement.js';
import { tempDir, writeFile, writePlugin } from '../helpers/fixtures.js';

const base: PluginsConfig = { enabled: true, allow: undefined, deny: [], loadPaths: [], slots: {}, entries: {} };
const decide = (config: Partial<PluginsConfig>, manifest: object = {}, settings: object = {}) =>
  decideEnablement('p', 'config', { id: 'p', name: 'p', version: '1.0.0', main: './i.js', ...manifest }, { ...base, ...config }, settings);

describe('enablement precedence (first match wins)', () => {
  it('1. plugins.enabled: false beats everything', () => {
    expect(decide({ enabled: false, allow: ['p'], entries: { p: { enabled: true } } })).toEqual({ enabled: false, by: 'plugins.enabled is false' });
  });
  it('2. deny beats allow and entries', () => {
    expect(decide({ deny: ['p'], allow: ['p'], entries: { p: { enabled: true } } })).toEqual({ enabled: false, by: 'listed in plugins.deny' });
  });
  it('3. allow decides both ways when set', () => {
    expect(decide({ allow: ['p'], entries: { p: { enabled: false } } })).toEqual({ enabled: true, by: 'listed in plugins.allow' });
    expect(decide({ allow: ['other'], entries: { p: { enabled: true } } })).toEqual({ enabled: false, by: 'not listed in plugins.allow' });
  });
  it('4. the plugin entry', () => {
    expect(decide({ entries: { p: { enabled: false } } })).toEqual({ enabled: false, by: 'plugins.entries.p.enabled is false' });
    expect(decide({ entries: { p: { enabled: true } } }, { enabledByDefault: false })).toMatchObject({ enabled: true });
  });
  it('5. defaults: discovered plugins are enabled unless their manifest says otherwise', () => {
    expect(decide({})).toEqual({ enabled: true, by: 'config default (enabled)' });
    expect(decide({}, { enabledByDefault: false })).toEqual({ enabled: false, by: 'config default (disabled)' });
  });
  it('auto-enables an off-by-default plugin when its config is present', () => {
    const manifest = { enabledByDefault: false, autoEnable: [{ pointer: '/channels/chat', empty: false }] };
    expect(decide({}, manifest, { channels: { chat: { token: 'x' } } })).toEqual({ enabled: true, by: 'auto-enabled: config /channels/chat is set' });
    expect(decide({}, manifest, { channels: {} })).toMatchObject({ enabled: false });
    expect(decide({ entries: { p: { enabled: false } } }, manifest, { channels: { chat: { token: 'x' } } })).toMatchObject({ enabled: false });
  });
  it('auto-enables on a boolean or number by its JSON text (matches), never on an object', () => {
    const manifest = { enabledByDefault: false, autoEnable: [{ pointer: '/mcp/server/enabled', matches: '^true$' }] };
    expect(decide({}, manifest, { mcp: { server: { enabled: true } } })).toEqual({ enabled: true, by: 'auto-enabled: config /mcp/server/enabled matches /^true$/' });
    expect(decide({}, manifest, { mcp: { server: { enabled: false } } })).toMatchObject({ enabled: false });
    expect(decide({}, manifest, { mcp: { server: { enabled: 'true' } } })).toMatchObject({ enabled: true });
    expect(decide({}, { enabledByDefault: false, autoEnable: [{ pointer: '/mcp/server', matches: 'true' }] }, { mcp: { server: { enabled: true } } })).toMatchObject({ enabled: false });
    expect(decide({}, { enabledByDefault: false, autoEnable: [{ pointer: '/n', matches: '^[1-9]' }] }, { n: 3 })).toMatchObject({ enabled: true });
  });
});

describe('auto-enable', () => {
  it('is derived on every run and never written into the config file', () => {
    const root = tempDir();
    writePlugin(root, { id: 'chat', manifest: { enabledByDefault: false, autoEnable: [{ pointer: '/channels/chat', empty: false }] } });
    const file = writeFile(join(root, 'nexus.yaml'), `plugins:\n  load:\n    paths: [${JSON.stringify(root)}]\nchannels:\n  chat:\n    token: abc\n`);
    const before = readFileSync(file, 'utf8');
    const kernel = new Kernel({ config: loadConfigFile(file), home: tempDir(), workspaceDir: root, builtinDirs: [], packageDirs: [], logger: new MemoryLogger() });
    expect(kernel.list()[0]).toMatchObject({ id: 'chat', enabled: true, state: 'discovered' });
    expect(kernel.record('chat')!.enabledBy).toBe('auto-enabled: config /channels/chat is set');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});
