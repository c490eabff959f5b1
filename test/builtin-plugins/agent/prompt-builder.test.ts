import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SectionPromptBuilder } from '../../../src/builtin-plugins/agent/prompt/section-prompt-builder.js';
import { MemoryLogger } from '../../../src/kernel/testing/index.js';
import { buildPrompt, expectGolden, FULL_PROFILE, promptKernel, sectionNames } from './prompt-test-kit.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const settings = { ...FULL_PROFILE, workspace: { enabled: false }, tools: { notes: 'Inline note.' } };

describe('prompt builder', () => {
  it('places sections other plugins contribute by their order, ties broken by name, blank ones left out', async () => {
    await using kernel = promptKernel(settings, { with: [join(fixtures, 'extra-sections')] });

    const prompt = await buildPrompt(kernel, { content: 'the build', channel: 'slack' });

    expect(sectionNames(prompt)).toEqual(['identity', 'user-profile', 'alpha-tie', 'recent-memory', 'tool-notes', 'safety']);
    expect(prompt.sections.find((s) => s.name === 'recent-memory')).toEqual({
      name: 'recent-memory',
      pluginId: 'extra-sections',
      text: 'Recent memory (session session-1, slack):\n- asked about "the build" before',
    });
    expectGolden('contributed-sections', prompt.text);
  });

  it('leaves out a section that throws or returns something other than text, and reports it', async () => {
    await using kernel = promptKernel(settings, { with: [join(fixtures, 'extra-sections')] });

    const prompt = await buildPrompt(kernel);

    expect(prompt.failed).toEqual([
      { name: 'throws', pluginId: 'extra-sections', error: 'vector index is offline' },
      { name: 'not-text', pluginId: 'extra-sections', error: 'render() returned number, expected a string or undefined' },
    ]);
    expect(prompt.text).toContain('Inline note.');
    expect(kernel.logs.some((l) => l.level === 'warn' && l.msg === 'prompt section throws left out: vector index is offline')).toBe(true);
  });

  it('reports a section whose plugin could not be activated, naming the plugin', async () => {
    await using kernel = promptKernel(settings, { with: [join(fixtures, 'broken-sections')] });

    const first = await buildPrompt(kernel);
    const later = await buildPrompt(kernel);

    for (const prompt of [first, later]) {
      expect(prompt.failed).toEqual([{ name: 'never', pluginId: 'broken-sections', error: expect.stringContaining('cannot reach the memory database') }]);
      expect(sectionNames(prompt)).toEqual(['identity', 'user-profile', 'tool-notes', 'safety']);
    }
  });

  it('gives up on a section that does not render in time and builds the prompt without it', async () => {
    await using kernel = promptKernel(settings, { with: [join(fixtures, 'slow-section')] });
    const builder = new SectionPromptBuilder(kernel.contributions, new MemoryLogger(), kernel.hooks, 100);

    const started = performance.now();
    const prompt = await builder.build({ sessionId: 's', agentId: 'main', channel: 'c', message: 'hi', metadata: {}, heartbeat: false, signal: AbortSignal.timeout(5_000) });

    expect(performance.now() - started).toBeLessThan(2_000);
    expect(prompt.failed).toEqual([{ name: 'stuck', pluginId: 'slow-section', error: 'did not render within 100 ms' }]);
    expect(sectionNames(prompt)).toEqual(['identity', 'user-profile', 'tool-notes', 'safety']);
  });
});
