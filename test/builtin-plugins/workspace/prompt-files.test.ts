import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { PromptFiles } from '../../../plugin-sdk/src/prompt/index.js';
import { tempDir } from './workspace-test-kit.js';

describe('prompt files', () => {
  it('reads a file trimmed, and a missing one as empty', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.md'), '\n\n  text  \n');
    const files = new PromptFiles();
    expect(await files.read(join(dir, 'a.md'), 100, 'x.file')).toBe('text');
    expect(await files.read(join(dir, 'missing.md'), 100, 'x.file')).toBe('');
    expect(await files.read(join(dir, 'a.md', 'below-a-file.md'), 100, 'x.file')).toBe('');
  });

  it('serves a file from memory within the revalidation window, then picks up edits, new files and deletions', async () => {
    const dir = tempDir();
    const path = join(dir, 'notes.md');
    writeFileSync(path, 'first');
    const files = new PromptFiles(150);
    expect(await files.read(path, 100, 'x.file')).toBe('first');
    expect(await files.read(join(dir, 'later.md'), 100, 'x.file')).toBe('');

    writeFileSync(path, 'second, longer');
    writeFileSync(join(dir, 'later.md'), 'now here');
    expect(await files.read(path, 100, 'x.file')).toBe('first');

    await sleep(200);
    expect(await files.read(path, 100, 'x.file')).toBe('second, longer');
    expect(await files.read(join(dir, 'later.md'), 100, 'x.file')).toBe('now here');

    rmSync(path);
    await sleep(200);
    expect(await files.read(path, 100, 'x.file')).toBe('');
  });

  it('answers from memory without a promise only while a read is within the revalidation window', async () => {
    const dir = tempDir();
    const path = join(dir, 'notes.md');
    writeFileSync(path, 'abcdef');
    const files = new PromptFiles(150);
    expect(files.cached(path, 100)).toBeUndefined();
    const reads = await Promise.all(Array.from({ length: 10 }, () => files.read(path, 100, 'x.file')));
    expect(reads).toEqual(Array(10).fill('abcdef'));
    expect(files.cached(path, 100)).toBe('abcdef');
    expect(files.cached(path, 3)).toBe('abc\n[… truncated: 3 of 6 characters shown]');
    await sleep(200);
    expect(files.cached(path, 100)).toBeUndefined();
  });

  it('cuts each read at its own limit', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.md'), 'abcdefghij');
    const files = new PromptFiles();
    expect(await files.read(join(dir, 'a.md'), 4, 'x.file')).toBe('abcd\n[… truncated: 4 of 10 characters shown]');
    expect(await files.read(join(dir, 'a.md'), 20, 'x.file')).toBe('abcdefghij');
  });

  it('names the file and the setting when the path is a folder or cannot be read', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'folder.md'));
    const files = new PromptFiles(0);
    await expect(files.read(join(dir, 'folder.md'), 10, 'tools.notes_file')).rejects.toThrow(
      `cannot read ${join(dir, 'folder.md')} (tools.notes_file): it is a folder, not a file; make it a readable file or point tools.notes_file elsewhere`,
    );
    writeFileSync(join(dir, 'secret.md'), 'x');
    chmodSync(join(dir, 'secret.md'), 0o000);
    try {
      if (process.getuid?.() === 0) return; // root reads anything
      await expect(files.read(join(dir, 'secret.md'), 10, 'tools.notes_file')).rejects.toThrow(/^cannot read .*secret\.md \(tools\.notes_file\): EACCES/);
    } finally {
      chmodSync(join(dir, 'secret.md'), 0o644);
    }
  });
});
