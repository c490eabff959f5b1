import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkingKey, chunkMarkdown, markdownBlocks, type ChunkingOptions } from '../../../src/builtin-plugins/memory/chunking/index.js';

const FIXTURES = join(import.meta.dirname, 'fixtures/chunking');

/** Golden files: `<name>.<tokens>-<overlap>.json` beside the Markdown. UPDATE_GOLDEN=1 rewrites them. */
function golden(name: string, options: ChunkingOptions) {
  const text = readFileSync(join(FIXTURES, `${name}.md`), 'utf8');
  const chunks = chunkMarkdown(text, options).map(({ seq, startLine, endLine, tokens, text: body }) => ({ seq, startLine, endLine, tokens, text: body }));
  const file = join(FIXTURES, `${name}.${options.tokens}-${options.overlap}.json`);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, `${JSON.stringify(chunks, null, 2)}\n`);
  return { text, chunks, expected: JSON.parse(readFileSync(file, 'utf8')) as unknown };
}

const CASES: readonly [string, ChunkingOptions][] = [
  ['sections', { tokens: 60, overlap: 12 }],
  ['sections', { tokens: 400, overlap: 80 }],
  ['long-paragraphs', { tokens: 120, overlap: 24 }],
  ['daily-log', { tokens: 400, overlap: 80 }],
  ['oversized-line', { tokens: 100, overlap: 20 }],
];

describe('chunking Markdown (golden files)', () => {
  for (const [name, options] of CASES) {
    it(`cuts ${name}.md at ${options.tokens} tokens with ${options.overlap} overlap as recorded`, () => {
      const { chunks, expected } = golden(name, options);
      expect(chunks).toEqual(expected);
    });

    it(`keeps every chunk of ${name}.md within ${options.tokens} tokens, in order, covering every line`, () => {
      const { text, chunks } = golden(name, options);
      const lines = text.split('\n');
      for (const chunk of chunks) expect(chunk.text.length).toBeLessThanOrEqual(options.tokens * 4);
      for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.startLine).toBeGreaterThanOrEqual(chunks[i - 1]!.startLine);
      const covered = new Set(chunks.flatMap((c) => Array.from({ length: c.endLine - c.startLine + 1 }, (_, i) => c.startLine + i)));
      lines.forEach((line, i) => {
        if (line.trim() !== '') expect(covered.has(i + 1), `line ${i + 1} is in no chunk`).toBe(true);
      });
    });
  }

  it('puts the whole small file in one chunk', () => {
    const chunks = chunkMarkdown(readFileSync(join(FIXTURES, 'sections.md'), 'utf8'), { tokens: 400, overlap: 80 });
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ startLine: 1, endLine: 26 });
  });

  it('starts a new chunk at a heading once the current one is half full, with no overlap across it', () => {
    const chunks = chunkMarkdown(readFileSync(join(FIXTURES, 'sections.md'), 'utf8'), { tokens: 60, overlap: 12 });
    const headed = chunks.filter((c) => c.text.startsWith('## '));
    expect(headed.map((c) => c.text.split('\n')[0])).toEqual(['## Routines', '## Preferences']);
  });

  it('never cuts inside a fenced code block that fits, blank lines included', () => {
    const chunks = chunkMarkdown(readFileSync(join(FIXTURES, 'sections.md'), 'utf8'), { tokens: 60, overlap: 12 });
    const fence = chunks.find((c) => c.text.includes('```sh'))!;
    expect(fence.text).toContain('# the backup script Ana runs on Fridays\n\nrsync -a ~/photos nas:/backup/photos\n```');
  });

  it('carries the end of a chunk cut mid-section into the next, starting at a word', () => {
    const chunks = chunkMarkdown(readFileSync(join(FIXTURES, 'long-paragraphs.md'), 'utf8'), { tokens: 120, overlap: 24 });
    for (let i = 1; i < chunks.length; i++) {
      const previous = chunks[i - 1]!.text;
      const start = chunks[i]!.text.slice(0, 40);
      if (chunks[i]!.text.startsWith('#')) continue;
      expect(previous.includes(start.split(' ').slice(0, 4).join(' ')), `chunk ${i} starts with text from chunk ${i - 1}`).toBe(true);
      expect(chunks[i]!.text.startsWith(' ')).toBe(false);
    }
  });

  it('gives a chunk the same hash whenever its text is the same', () => {
    const a = chunkMarkdown('# A\n\nsame words here\n', { tokens: 400, overlap: 80 });
    const b = chunkMarkdown('# A\n\nsame words here\n', { tokens: 400, overlap: 80 });
    expect(a[0]!.hash).toBe(b[0]!.hash);
    expect(a[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('returns nothing for an empty or blank file', () => {
    expect(chunkMarkdown('', { tokens: 400, overlap: 80 })).toEqual([]);
    expect(chunkMarkdown('\n\n  \n', { tokens: 400, overlap: 80 })).toEqual([]);
  });

  it('treats an unclosed fence as running to the end of the file', () => {
    expect(markdownBlocks('text\n```\ncode\n\nmore').map((b) => b.pieces.map((p) => p.line))).toEqual([[1], [2, 3, 4, 5]]);
  });

  it('names its settings and version in the chunking key', () => {
    expect(chunkingKey({ tokens: 400, overlap: 80 })).toBe('md-v1:400:80');
  });
});
