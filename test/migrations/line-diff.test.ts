import { describe, expect, it } from 'vitest';
import { renderDiff } from '../../src/kernel/migrations/index.js';

describe('renderDiff', () => {
  it('prints nothing for equal texts', () => {
    expect(renderDiff('a\nb\n', 'a\nb\n')).toBe('');
  });

  it('prints one hunk with three lines of context, removals before additions', () => {
    const before = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'].join('\n') + '\n';
    const after = ['one', 'two', 'three', 'four', 'FIVE', 'six', 'seven', 'eight', 'nine', 'ten'].join('\n') + '\n';
    expect(renderDiff(before, after, { fromLabel: 'nexus.yaml', toLabel: 'nexus.yaml (migrated)' })).toBe(
      ['--- nexus.yaml', '+++ nexus.yaml (migrated)', '@@ -2,7 +2,7 @@', ' two', ' three', ' four', '-five', '+FIVE', ' six', ' seven', ' eight', ''].join('\n'),
    );
  });

  it('splits distant changes into separate hunks and merges close ones', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    const changed = [...lines];
    changed[1] = 'LINE 2';
    changed[3] = 'LINE 4';
    changed[17] = 'LINE 18';
    const diff = renderDiff(`${lines.join('\n')}\n`, `${changed.join('\n')}\n`, { context: 1 });
    expect(diff.split('\n').filter((l) => l.startsWith('@@'))).toEqual(['@@ -1,5 +1,5 @@', '@@ -17,3 +17,3 @@']);
  });

  it('numbers insertions at the top and deletions at the end like diff -u', () => {
    expect(renderDiff('a\nb\n', 'version: 1\na\nb\n', { context: 0 })).toBe('@@ -0,0 +1,1 @@\n+version: 1\n');
    expect(renderDiff('a\nb\nc\n', 'a\nb\n', { context: 0 })).toBe('@@ -3,1 +2,0 @@\n-c\n');
  });

  it('finds the longest common subsequence rather than matching greedily', () => {
    expect(renderDiff('x\na\nb\nc\n', 'a\nb\nc\nx\n', { context: 0 })).toBe('@@ -1,1 +0,0 @@\n-x\n@@ -4,0 +4,1 @@\n+x\n');
  });

  it('handles a text without a trailing newline and an empty side', () => {
    expect(renderDiff('', 'a\nb')).toBe('@@ -0,0 +1,2 @@\n+a\n+b\n');
    expect(renderDiff('a', '')).toBe('@@ -1,1 +0,0 @@\n-a\n');
  });
});

describe('renderDiff on a large file', () => {
  it('diffs 30,000 lines changed at both ends without a table of every line pair', () => {
    // A longest-common-subsequence table over the changed middle needed 30,000² cells (3.6 GB) here.
    const lines = Array.from({ length: 30_000 }, (_, i) => `key_${i}: ${i}`);
    const changed = [...lines];
    changed[1] = 'key_1: changed';
    changed[29_998] = 'key_29998: changed';
    const diff = renderDiff(`${lines.join('\n')}\n`, `${changed.join('\n')}\n`, { context: 0 });
    expect(diff).toBe('@@ -2,1 +2,1 @@\n-key_1: 1\n+key_1: changed\n@@ -29999,1 +29999,1 @@\n-key_29998: 29998\n+key_29998: changed\n');
  });
});
