import { describe, expect, it } from 'vitest';
import { listWithin, MAX_DESCRIPTION, toolDescription } from '../../../src/builtin-plugins/mcp/bridge/description.js';

describe('tool descriptions within OpenAI\'s 1024 characters', () => {
  it('passes a short description through, with the bridge\'s note after it', () => {
    expect(toolDescription('Reads a file.')).toBe('Reads a file.');
    expect(toolDescription('Reads a file.', 'Input alternatives (exactly one): path | id.')).toBe('Reads a file.\n\nInput alternatives (exactly one): path | id.');
  });

  it('shortens a long description at a word, keeping the note whole', () => {
    const long = 'word '.repeat(400);
    const note = 'Input alternatives (exactly one): path | id.';
    const text = toolDescription(long, note);
    expect(text.length).toBeLessThanOrEqual(MAX_DESCRIPTION);
    expect(text.endsWith(` … (shortened)\n\n${note}`)).toBe(true);
    expect(text).not.toMatch(/wor … /);
  });

  it('lists as many items as fit and says how many were left out', () => {
    const items = Array.from({ length: 100 }, (_, i) => `- files: file:///data/report-${i}.csv`);
    const text = listWithin('Known resources:', items);
    expect(text.length).toBeLessThanOrEqual(MAX_DESCRIPTION);
    const shown = text.split('\n').filter((line) => line.startsWith('- ')).length;
    expect(text.endsWith(`(and ${100 - shown} more)`)).toBe(true);
    expect(listWithin('Known resources:', items.slice(0, 2))).toBe(`Known resources:\n${items[0]}\n${items[1]}`);
  });
});
