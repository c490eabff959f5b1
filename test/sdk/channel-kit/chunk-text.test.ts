import { describe, expect, it } from 'vitest';
import { chunkText, splitFirst } from '../../../plugin-sdk/src/channel/index.js';

/** Whether the text ends inside a code block, by CommonMark's fence rules. */
function endsInsideFence(text: string): boolean {
  let open: string | undefined;
  for (const line of text.split('\n')) {
    const run = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (!run) continue;
    if (open === undefined) open = run[1];
    else if (run[1]![0] === open[0] && run[1]!.length >= open.length && run[2]!.trim() === '') open = undefined;
  }
  return open !== undefined;
}

describe('chunkText', () => {
  it('returns text within the limit unchanged, and nothing for empty text', () => {
    expect(chunkText('short', { limit: 10 })).toEqual(['short']);
    expect(chunkText('', { limit: 10 })).toEqual([]);
  });

  it('splits on paragraph boundaries first', () => {
    expect(chunkText('First paragraph here.\n\nSecond paragraph is a bit longer.\n\nThird.', { limit: 40 })).toEqual([
      'First paragraph here.',
      'Second paragraph is a bit longer.',
      'Third.',
    ]);
  });

  it('keeps paragraphs together while they fit', () => {
    expect(chunkText('aa\n\nbb\n\ncc\n\ndd', { limit: 9 })).toEqual(['aa\n\nbb', 'cc\n\ndd']);
  });

  it('never splits at a blank line inside a code fence', () => {
    const text = 'Intro.\n\n```\nline 1\n\nline 2\n```\n\nOutro.';
    expect(chunkText(text, { limit: 30 })).toEqual(['Intro.', '```\nline 1\n\nline 2\n```\n\nOutro.']);
  });

  it('closes and reopens a fence, with its language, when the block itself exceeds the limit', () => {
    const text = 'intro\n\n```ts\nconst a = 1;\nconst b = 2;\nconst c = 3;\nconst d = 4;\n```\n\nafter';
    expect(chunkText(text, { limit: 30 })).toEqual([
      'intro',
      '```ts\nconst a = 1;\n```',
      '```ts\nconst b = 2;\n```',
      '```ts\nconst c = 3;\n```',
      '```ts\nconst d = 4;\n```\n\nafter',
    ]);
  });

  it('keeps a longer closing fence and tilde fences intact', () => {
    expect(chunkText('~~~~\naaaa\nbbbb\n~~~~', { limit: 15 })).toEqual(['~~~~\naaaa\n~~~~', '~~~~\nbbbb\n~~~~']);
  });

  it('cuts a code line longer than the limit and still closes the fence', () => {
    expect(chunkText('```\n' + 'x'.repeat(30) + '\n```', { limit: 15 })).toEqual([
      '```\nxxxxxxx\n```',
      '```\nxxxxxxx\n```',
      '```\nxxxxxxx\n```',
      '```\nxxxxxxx\n```',
      '```\nxx\n```',
    ]);
  });

  it('falls back to lines, then words, then a hard cut', () => {
    expect(chunkText('line one\nline two\nline three\nline four', { limit: 20 })).toEqual(['line one\nline two', 'line three\nline four']);
    expect(chunkText('one two three four five six seven eight nine ten', { limit: 12 })).toEqual(['one two', 'three four', 'five six', 'seven eight', 'nine ten']);
    expect(chunkText('abcdefghijklmnopqrstuvwxyz', { limit: 10 })).toEqual(['abcdefghij', 'klmnopqrst', 'uvwxyz']);
  });

  it('never cuts a surrogate pair in half', () => {
    expect(chunkText('😀😀😀😀😀', { limit: 5 })).toEqual(['😀😀', '😀😀', '😀']);
  });

  it('treats inline triple backticks as text, not a fence', () => {
    expect(chunkText('```a``` b\n\nc', { limit: 10 })).toEqual(['```a``` b', 'c']);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => chunkText('x', { limit: 0 })).toThrow(/positive integer/);
    expect(() => chunkText('x', { limit: 2.5 })).toThrow(/positive integer/);
  });

  it('keeps every chunk within the limit with balanced fences, losing no text', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const words = ['alpha', 'beta', 'gamma', '', '- item', '> quote', 'x'.repeat(40), '😀', 'end.', 'a```b'];
    const fences = ['```py', '```', '~~~'];
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    for (let round = 0; round < 300; round++) {
      const lines = Array.from({ length: 5 + Math.floor(random() * 40) }, () => (random() < 0.15 ? pick(fences) : Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(words)).join(' ')));
      const text = lines.join('\n');
      const limit = 20 + Math.floor(random() * 80);
      const chunks = chunkText(text, { limit });
      for (const chunk of chunks) {
        expect(chunk.length).toBeLessThanOrEqual(limit);
      }
      // All text survives in order (fences aside: the chunker adds some).
      const visible = (s: string) => s.split('\n').filter((l) => !/^ {0,3}(`{3,}|~{3,})/.test(l)).join('').replace(/\s+/g, '');
      expect(chunks.map(visible).join('')).toBe(visible(text));
      // A chunk opened inside a fence is closed in it, except a fence the source never closed.
      if (!endsInsideFence(text)) for (const chunk of chunks) expect(endsInsideFence(chunk), chunk).toBe(false);
    }
  });
});

describe('splitFirst', () => {
  it('gives the remainder with the fence reopened, so splitting again continues in the block', () => {
    const { head, tail } = splitFirst('```js\na();\nb();\nc();\n```', { limit: 19 });
    expect(head).toBe('```js\na();\nb();\n```');
    expect(tail).toBe('```js\nc();\n```');
  });
});
