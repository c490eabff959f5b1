import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Kernel, loadConfigFile, MemoryLogger } from '../../src/kernel/index.js';
import { tempDir, writeFile } from '../helpers/fixtures.js';

/** A kernel over the built-in plugins, planned from `yaml`; no plugin code runs. */
function plannedKernel(yaml: string): Kernel {
  const root = tempDir();
  const file = writeFile(join(root, 'nexus.yaml'), yaml);
  const kernel = new Kernel({ config: loadConfigFile(file, { env: {} }), home: tempDir(), workspaceDir: root, packageDirs: [], logger: new MemoryLogger() });
  kernel.plan();
  return kernel;
}

function providerProblems(kernel: Kernel) {
  return kernel.record('agent')!.diagnostics.filter((d) => d.code.startsWith('config.') && d.code.endsWith('-contribution'));
}

describe('provider types in llm.providers', () => {
  it('rejects a type no installed plugin provides, with its pointer, file position and a did-you-mean', () => {
    const kernel = plannedKernel('llm:\n  providers:\n    main:\n      type: openia\n    claude:\n      type: anthropic\n');
    const [problem, ...rest] = providerProblems(kernel);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({
      level: 'error',
      code: 'config.unknown-contribution',
      pluginId: 'agent',
      message: '/llm/providers/main/type: "openia", but no installed plugin provides a provider type "openia" (installed: anthropic, openai)',
      source: { pointer: '/llm/providers/main/type', line: 4, column: 13 },
      hint: 'did you mean "openai"?',
    });
    expect(problem!.source!.file).toMatch(/nexus\.yaml$/);
  });

  it('checks the entry key when type is left to default to it', () => {
    const kernel = plannedKernel('llm:\n  providers:\n    anthropix:\n      api_key: k\n');
    expect(providerProblems(kernel)).toEqual([
      expect.objectContaining({
        level: 'error',
        message: expect.stringContaining('/llm/providers/anthropix/type is not set, so the entry\'s key "anthropix" is its provider type'),
        source: expect.objectContaining({ pointer: '/llm/providers/anthropix', line: 3 }),
        hint: 'did you mean "anthropic"? Set /llm/providers/anthropix/type: anthropic',
      }),
    ]);
  });

  it('warns about a type whose plugin is disabled, saying how to enable it', () => {
    const kernel = plannedKernel('plugins:\n  entries:\n    openai:\n      enabled: false\nllm:\n  providers:\n    local:\n      type: openai\n      base_url: http://127.0.0.1:11434/v1\n');
    expect(providerProblems(kernel)).toEqual([
      expect.objectContaining({ level: 'warning', code: 'config.unavailable-contribution', message: expect.stringContaining('comes from plugin openai, which is disabled'), hint: expect.stringContaining('nexus plugins enable openai') }),
    ]);
  });

  it('accepts installed types, written or defaulted', () => {
    const kernel = plannedKernel('llm:\n  providers:\n    openai: {}\n    local:\n      type: openai\n');
    expect(providerProblems(kernel)).toEqual([]);
  });
});
