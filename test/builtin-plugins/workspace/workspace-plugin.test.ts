import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyPluginContract } from '../../../src/kernel/testing/index.js';
import { pluginDir, workspaceKernel } from './workspace-test-kit.js';

type Schema = { type?: string; additionalProperties?: unknown; description?: string; properties?: Record<string, Schema> };

describe('workspace plugin', () => {
  it('honours its manifest: binds the setup command, the workspace-files check and its prompt sections', async () => {
    const report = await verifyPluginContract({ plugin: pluginDir });
    const sections = ['identity', 'user-profile', 'bootstrap-guidance', 'workspace-agents', 'workspace-soul', 'workspace-user', 'workspace-identity', 'workspace-memory'];
    expect(report).toEqual({
      pluginId: 'workspace',
      resolved: ['commands:setup', 'doctorChecks:workspace-files', ...sections.map((s) => `promptSections:${s}`)],
      problems: [],
    });
  });

  it('declares strict, described schemas for workspace, identity and user', () => {
    const manifest = JSON.parse(readFileSync(join(pluginDir, 'nexus.plugin.json'), 'utf8')) as { contributes: { configSections: { section: string; schema: Schema }[] } };
    const sections = manifest.contributes.configSections;
    expect(sections.map((s) => s.section)).toEqual(['workspace', 'identity', 'user']);
    const walk = (schema: Schema, where: string): void => {
      expect(schema.description, `${where} has a description`).toBeTruthy();
      if (schema.type === 'object') expect(schema.additionalProperties, `${where} is closed`).toBe(false);
      for (const [key, child] of Object.entries(schema.properties ?? {})) walk(child, `${where}.${key}`);
    };
    for (const { section, schema } of sections) walk(schema, section);
  });

  it.each([
    ['an unknown workspace key', { workspace: { max_char: 10 } }, '/workspace/max_char'],
    ['a negative workspace.max_chars', { workspace: { max_chars: -1 } }, '/workspace/max_chars'],
    ['an unknown identity key', { identity: { nmae: 'Ada' } }, '/identity/nmae'],
    ['a non-string user field', { user: { timezone: 2 } }, '/user/timezone'],
  ])('is quarantined by %s, naming the key', async (_what, settings, pointer) => {
    await using kernel = workspaceKernel(settings);
    const summary = kernel.summary();
    expect(summary.state).toBe('quarantined');
    expect(summary.diagnostics[0]).toMatchObject({ code: 'config.invalid', message: expect.stringContaining(pointer) });
  });

  it('accepts full identity and user sections', async () => {
    await using kernel = workspaceKernel({
      identity: { name: 'Nyx', creature: 'familiar', vibe: 'calm', emoji: '🦉' },
      user: { name: 'Ada', preferred_address: 'Ada', pronouns: 'she/her', timezone: 'Europe/London', notes: 'prefers short answers' },
    });
    await kernel.activate();
    expect(kernel.summary()).toMatchObject({ state: 'active', diagnostics: [] });
  });
});
