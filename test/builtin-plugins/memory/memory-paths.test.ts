import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryPathError, MemoryPaths } from '../../../src/builtin-plugins/memory/paths/index.js';
import { tempDir } from '../../helpers/fixtures.js';
import { workspace, writeText } from './memory-test-kit.js';

function paths(dir: string, extraPaths: { path: string; evergreen: boolean }[] = []) {
  return new MemoryPaths({ workspaceDir: dir, memoryFile: 'MEMORY.md', dailyDirectory: 'memory', extraPaths });
}

async function refusal(promise: Promise<unknown>): Promise<MemoryPathError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof MemoryPathError)) throw new Error(`expected a MemoryPathError, got ${String(error)}`);
  return error;
}

describe('memory paths', () => {
  it('lists MEMORY.md, the daily folder (recursively) and extra paths; skips hidden files and non-Markdown', async () => {
    const dir = workspace({
      'MEMORY.md': 'm',
      'memory/2026-03-15.md': 'd',
      'memory/projects/nexus.md': 'p',
      'memory/.2026-03-15.md.lock': '{}',
      'memory/.drafts/x.md': 'hidden',
      'memory/photo.png': 'png',
      'docs/handbook.md': 'h',
      'README.md': 'not memory',
    });
    const { files, skipped } = await paths(dir, [{ path: 'docs', evergreen: true }]).list();
    expect(files.map((f) => [f.path, f.kind, f.evergreen, f.date ?? null])).toEqual([
      ['MEMORY.md', 'memory', true, null],
      ['docs/handbook.md', 'extra', true, null],
      ['memory/2026-03-15.md', 'daily', false, '2026-03-15'],
      ['memory/projects/nexus.md', 'daily', true, null],
    ]);
    expect(skipped).toEqual([]);
  });

  it('refuses path traversal, however it is spelled', async () => {
    const p = paths(workspace({ 'MEMORY.md': 'm' }));
    for (const input of ['../secrets.md', 'memory/../../etc/passwd.md', 'memory\\..\\..\\x.md']) {
      const error = await refusal(p.resolve(input, true));
      expect(error.code).toBe('traversal');
      expect(error.message).toContain('".." may not appear in a memory path');
    }
  });

  it('refuses absolute paths, and says how to name the file instead', async () => {
    const dir = workspace({ 'MEMORY.md': 'm' });
    const error = await refusal(paths(dir).resolve(join(dir, 'MEMORY.md'), true));
    expect(error.code).toBe('absolute');
    expect(error.message).toContain('give the path relative to the workspace, as memory_search shows it (e.g. memory/2026-01-31.md)');
    expect((await refusal(paths(dir).resolve('/etc/passwd', true))).code).toBe('absolute');
  });

  it('refuses files outside the memory paths and files that are not Markdown', async () => {
    const dir = workspace({ 'AGENTS.md': 'a', 'memory/notes.txt': 't' });
    const outside = await refusal(paths(dir).resolve('AGENTS.md', true));
    expect(outside.code).toBe('outside');
    expect(outside.message).toBe('"AGENTS.md" is not a memory file: memory tools read MEMORY.md, memory/');
    expect((await refusal(paths(dir).resolve('memory/notes.txt', true))).code).toBe('not-markdown');
  });

  it('refuses a symlink that leads out of the workspace, in listing and in resolving', async () => {
    const outside = tempDir('nexus-outside-');
    writeText(join(outside, 'secret.md'), 'secret');
    const dir = workspace({ 'memory/ok.md': 'fine' });
    symlinkSync(join(outside, 'secret.md'), join(dir, 'memory/link.md'));
    const error = await refusal(paths(dir).resolve('memory/link.md', true));
    expect(error.code).toBe('symlink');
    const { files, skipped } = await paths(dir).list();
    expect(files.map((f) => f.path)).toEqual(['memory/ok.md']);
    expect(skipped).toEqual([{ path: 'memory/link.md', reason: 'a symlink leads outside its memory folder' }]);
  });

  it('refuses a daily folder that is itself a symlink out of the workspace, also for files not yet written', async () => {
    const outside = tempDir('nexus-outside-');
    const dir = workspace();
    symlinkSync(outside, join(dir, 'memory'));
    expect((await refusal(paths(dir).resolve('memory/2026-03-15.md', false))).code).toBe('symlink');
  });

  it('accepts a symlink that stays inside the workspace', async () => {
    const dir = workspace({ 'memory/real.md': 'r' });
    symlinkSync(join(dir, 'memory/real.md'), join(dir, 'memory/alias.md'));
    expect((await paths(dir).resolve('memory/alias.md', true)).path).toBe('memory/alias.md');
  });

  it('names a missing file, or accepts it when it is about to be written', async () => {
    const dir = workspace();
    expect((await refusal(paths(dir).resolve('memory/2026-01-01.md', true))).code).toBe('missing');
    expect((await paths(dir).resolve('memory/2026-01-01.md', false)).path).toBe('memory/2026-01-01.md');
  });

  it('shows files of an extra path outside the workspace by absolute path, and accepts exactly those', async () => {
    const notes = tempDir('nexus-notes-');
    writeText(join(notes, 'ideas.md'), 'idea');
    const dir = workspace();
    const p = paths(dir, [{ path: notes, evergreen: false }]);
    const { files } = await p.list();
    expect(files.map((f) => f.path)).toEqual([join(notes, 'ideas.md')]);
    expect((await p.resolve(join(notes, 'ideas.md'), true)).kind).toBe('extra');
    mkdirSync(join(notes, 'sub'));
    expect((await refusal(p.resolve('/etc/hosts.md', true))).code).toBe('absolute');
  });

  it('rejects inputs that are not strings', async () => {
    expect((await refusal(paths(workspace()).resolve(42, true))).code).toBe('invalid');
    expect((await refusal(paths(workspace()).resolve('mem\0ory.md', true))).code).toBe('invalid');
  });
});
