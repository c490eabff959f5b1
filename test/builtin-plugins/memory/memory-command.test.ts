import { describe, expect, it } from 'vitest';
import { runCommandLine } from '../../helpers/command-line.js';
import { corpusFiles, workspace } from './memory-test-kit.js';
import { memoryKernel } from './memory-plugin-kit.js';

describe('nexus memory', () => {
  it('search --json prints {mode, results} with workspace-relative paths; --mode and --limit are honoured', async () => {
    await using kernel = memoryKernel({ workspace: workspace(corpusFiles()) });
    const run = await runCommandLine(kernel, 'memory', ['search', 'green', 'curry', 'paste', '--json', '--limit', '1']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { mode: string; fallback?: { from: string }; results: { path: string; start_line: number; end_line: number; score: number; snippet: string }[] };
    expect(out.mode).toBe('lexical');
    expect(out.fallback?.from).toBe('hybrid');
    expect(out.results).toHaveLength(1);
    expect(out.results[0]).toMatchObject({ path: 'memory/recipes.md' });
    expect(Object.keys(out.results[0]!).sort()).toEqual(['end_line', 'path', 'score', 'snippet', 'start_line']);

    const lexical = JSON.parse((await runCommandLine(kernel, 'memory', ['search', 'cinnamon', '--mode', 'lexical', '--json'])).stdout) as { mode: string; fallback?: unknown };
    expect(lexical).toMatchObject({ mode: 'lexical' });
    expect(lexical.fallback).toBeUndefined();

    const bad = await runCommandLine(kernel, 'memory', ['search', 'x', '--mode', 'fuzzy']);
    expect(bad.code).toBe(2);
  });

  it('get prints a cited range and refuses paths outside memory', async () => {
    await using kernel = memoryKernel({ workspace: workspace(corpusFiles()) });
    const got = await runCommandLine(kernel, 'memory', ['get', 'memory/recipes.md', '--from', '1', '--lines', '2', '--json']);
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout)).toMatchObject({ path: 'memory/recipes.md', from: 1, to: 2 });
    const refused = await runCommandLine(kernel, 'memory', ['get', '../outside.md']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/\.\./);
  });

  it('index reports what it did, shows progress on a long run, and --force re-reads everything', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 250; i++) files[`memory/note-${String(i).padStart(3, '0')}.md`] = `# Note ${i}\n\nItem ${i} about topic ${i % 7}.\n`;
    await using kernel = memoryKernel({ workspace: workspace(files) });
    const first = await runCommandLine(kernel, 'memory', ['index']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^indexed 250 files in \d+ ms: 250 changed, 0 unchanged, 0 removed/);
    expect(first.stderr).toMatch(/indexing files \[#+ *\] \d+\/250/);
    const again = JSON.parse((await runCommandLine(kernel, 'memory', ['index', '--json'])).stdout) as { files: { changed: number; unchanged: number } };
    expect(again.files).toMatchObject({ changed: 0, unchanged: 250 });
    const forced = JSON.parse((await runCommandLine(kernel, 'memory', ['index', '--force', '--json'])).stdout) as { files: { changed: number } };
    expect(forced.files.changed).toBe(250);
  });

  it('stats and status say what is indexed and which modes answer', async () => {
    await using kernel = memoryKernel({ workspace: workspace(corpusFiles()) });
    await runCommandLine(kernel, 'memory', ['index']);
    const stats = await runCommandLine(kernel, 'memory', ['stats', '--json']);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ files: 5, vectors: 0, modes: ['lexical'], mismatches: [], flushes: { outcomes: { written: 0 } } });
    const text = await runCommandLine(kernel, 'memory', ['stats']);
    expect(text.stdout).toMatch(/^files: 5 {3}chunks: \d+ {3}vectors: 0/);
    const status = await runCommandLine(kernel, 'memory', ['status', '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ ok: true, files: 5, modes: ['lexical'], problems: [] });
  });
});
