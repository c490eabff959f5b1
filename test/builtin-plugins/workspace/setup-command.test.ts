import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NAMES, runSetup, tempDir, workspaceKernel } from './workspace-test-kit.js';

const isRoot = process.getuid?.() === 0;

describe('nexus setup', () => {
  it('seeds all seven files into a fresh workspace, creating the folder', async () => {
    const ws = join(tempDir(), 'nested', 'ws');
    await using kernel = workspaceKernel({ workspace: { path: ws } });
    const run = await runSetup(kernel, []);

    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(readdirSync(ws).sort()).toEqual([...DEFAULT_NAMES].sort());
    expect(readFileSync(join(ws, 'HEARTBEAT.md'), 'utf8')).toContain('HEARTBEAT_OK');
    expect(readFileSync(join(ws, 'AGENTS.md'), 'utf8')).toContain('memory/YYYY-MM-DD.md');
    for (const name of DEFAULT_NAMES) expect(run.stdout).toContain(`  created     ${name}\n`);
    expect(run.stdout).toContain(`Workspace: ${ws}\n`);
    expect(run.stdout).toMatch(/7 created, 0 overwritten, 0 skipped\.\n$/);
  });

  it('skips every existing file on a second run, saying why, and leaves edits alone', async () => {
    const ws = tempDir();
    await using kernel = workspaceKernel({ workspace: { path: ws } });
    await runSetup(kernel, []);
    writeFileSync(join(ws, 'SOUL.md'), 'my own soul\n');

    const run = await runSetup(kernel, ['--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ workspace: ws, created: [], skipped: DEFAULT_NAMES, overwritten: [] });
    expect(readFileSync(join(ws, 'SOUL.md'), 'utf8')).toBe('my own soul\n');

    const text = await runSetup(kernel, []);
    expect(text.stdout).toContain('  skipped     SOUL.md: already exists; --overwrite replaces it\n');
    expect(text.stdout).toMatch(/0 created, 0 overwritten, 7 skipped\.\n$/);
  });

  it('replaces existing files with --overwrite and creates the missing ones', async () => {
    const ws = tempDir();
    writeFileSync(join(ws, 'USER.md'), 'stale\n');
    writeFileSync(join(ws, 'MEMORY.md'), 'stale\n');
    await using kernel = workspaceKernel({ workspace: { path: ws } });

    const run = await runSetup(kernel, ['--overwrite', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      workspace: ws,
      created: ['AGENTS.md', 'SOUL.md', 'IDENTITY.md', 'TOOLS.md', 'HEARTBEAT.md'],
      skipped: [],
      overwritten: ['USER.md', 'MEMORY.md'],
    });
    expect(readFileSync(join(ws, 'USER.md'), 'utf8')).toMatch(/^# User\n/);
    expect(readdirSync(ws).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('names the files after workspace.*_file, and the checklist after session.heartbeat.file', async () => {
    const ws = tempDir();
    const names = {
      agents_file: 'agent-rules.md',
      soul_file: 'persona.md',
      user_file: 'me.md',
      identity_file: 'who.md',
      tools_file: 'env/tools.md',
      memory_file: 'long-term.md',
    };
    await using kernel = workspaceKernel({ workspace: { path: ws, ...names }, session: { heartbeat: { file: 'checklist.md' } } });

    const run = await runSetup(kernel, ['--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).created).toEqual(['agent-rules.md', 'persona.md', 'me.md', 'who.md', 'env/tools.md', 'checklist.md', 'long-term.md']);
    expect(readdirSync(ws).sort()).toEqual(['agent-rules.md', 'checklist.md', 'env', 'long-term.md', 'me.md', 'persona.md', 'who.md']);
    expect(readFileSync(join(ws, 'env', 'tools.md'), 'utf8')).toMatch(/^# Tools and environment\n/);
    expect(readFileSync(join(ws, 'checklist.md'), 'utf8')).toMatch(/^# Heartbeat checklist\n/);
  });

  it('writes an absolute file name where it points, but creates no folders outside the workspace', async () => {
    const ws = tempDir();
    const elsewhere = tempDir();
    const missing = join(tempDir(), 'missing');
    await using kernel = workspaceKernel({ workspace: { path: ws, memory_file: join(elsewhere, 'MEMORY.md'), tools_file: join(missing, 'TOOLS.md') } });

    const run = await runSetup(kernel, []);
    expect(run.code).toBe(1);
    expect(readdirSync(elsewhere)).toEqual(['MEMORY.md']);
    expect(existsSync(missing)).toBe(false);
    expect(run.stderr).toBe(`nexus setup: cannot write ${join(missing, 'TOOLS.md')}: its folder does not exist (ENOENT)\n`);
  });

  it('seeds the --workspace folder rather than workspace.path', async () => {
    const configured = tempDir();
    const flagged = join(tempDir(), 'from-flag');
    await using kernel = workspaceKernel({ workspace: { path: configured } });

    const run = await runSetup(kernel, ['--workspace', flagged, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).workspace).toBe(flagged);
    expect(readdirSync(flagged).sort()).toEqual([...DEFAULT_NAMES].sort());
    expect(readdirSync(configured)).toEqual([]);
  });

  it('resolves a relative workspace.path against the config file folder', async () => {
    const root = tempDir();
    await using kernel = workspaceKernel({ workspace: { path: 'agent-home' } });

    const run = await runSetup(kernel, ['--json'], { configPath: join(root, 'nexus.yaml') });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).workspace).toBe(join(root, 'agent-home'));
    expect(readdirSync(join(root, 'agent-home'))).toHaveLength(7);
  });

  it('uses the default file names when the config has no workspace section', async () => {
    const ws = tempDir();
    await using kernel = workspaceKernel();
    const run = await runSetup(kernel, ['--workspace', ws, '--json']);
    expect(JSON.parse(run.stdout).created).toEqual(DEFAULT_NAMES);
  });

  it('rejects an unknown flag with a usage error and exit code 2, writing nothing', async () => {
    const ws = tempDir();
    await using kernel = workspaceKernel({ workspace: { path: ws } });

    const run = await runSetup(kernel, ['--force']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe("nexus setup: unknown option '--force'; see `nexus help setup` (plugin workspace)\n");
    expect(readdirSync(ws)).toEqual([]);

    const positional = await runSetup(kernel, ['somewhere']);
    expect(positional.code).toBe(2);
    expect(positional.stderr).toContain("nexus setup: too many arguments for 'setup': expected 0 arguments but got 1;");
    const missing = await runSetup(kernel, ['--workspace']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nexus setup: option '--workspace <DIR>' argument missing;");
  });

  it('prints its usage for --help', async () => {
    await using kernel = workspaceKernel();
    const run = await runSetup(kernel, ['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: nexus setup \[options\]\n\nSeed the workspace files/);
    expect(run.stdout).toMatch(/--workspace <DIR> +seed DIR instead of workspace.path/);
  });

  it.skipIf(isRoot)('fails with exit code 1 and names each file it cannot write in a read-only folder', async () => {
    const ws = tempDir();
    chmodSync(ws, 0o555);
    await using kernel = workspaceKernel({ workspace: { path: ws } });

    const run = await runSetup(kernel, []);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`nexus setup: cannot write ${join(ws, 'AGENTS.md')}: permission denied (EACCES)\n`);
    expect(run.stdout).toMatch(/0 created, 0 overwritten, 0 skipped, 7 failed\.\n$/);
    expect(readdirSync(ws)).toEqual([]);
  });

  it('reports a file it cannot write, still seeds the others, and exits 1', async () => {
    const ws = tempDir();
    // A file where a folder should be makes the write fail even for root, who ignores permissions.
    writeFileSync(join(ws, 'blocked'), '');
    await using kernel = workspaceKernel({ workspace: { path: ws, agents_file: 'blocked/AGENTS.md' } });

    const run = await runSetup(kernel, ['--json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`nexus setup: cannot write ${join(ws, 'blocked', 'AGENTS.md')}: a folder in its path is a file (ENOTDIR)\n`);
    const report = JSON.parse(run.stdout);
    expect(report.created).toEqual(DEFAULT_NAMES.slice(1));
    expect(report.failed).toEqual([{ file: join(ws, 'blocked', 'AGENTS.md'), reason: 'a folder in its path is a file (ENOTDIR)' }]);
  });

  it('fails with exit code 1 when the workspace folder cannot be created', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'taken'), '');
    await using kernel = workspaceKernel({ workspace: { path: join(root, 'taken', 'ws') } });

    const run = await runSetup(kernel, []);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`nexus setup: cannot create the workspace folder ${join(root, 'taken', 'ws')}: `);
    expect(run.stdout).toBe('');
  });

  it('leaves no partial or temporary files when interrupted', async () => {
    const ws = tempDir();
    await using kernel = workspaceKernel({ workspace: { path: ws } });

    const run = await runSetup(kernel, [], { signal: AbortSignal.abort() });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`nexus setup: cannot write ${join(ws, 'SOUL.md')}: interrupted before it was written\n`);
    expect(readdirSync(ws)).toEqual([]);
  });

  it('does not write one file twice when two settings name it', async () => {
    const ws = tempDir();
    await using kernel = workspaceKernel({ workspace: { path: ws, memory_file: 'AGENTS.md' } });

    const run = await runSetup(kernel, []);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('  skipped     AGENTS.md: same file as workspace.agents_file\n');
    expect(readFileSync(join(ws, 'AGENTS.md'), 'utf8')).toMatch(/^# Agent instructions\n/);
  });

  it('refuses to replace a folder that sits where a file should go', async () => {
    const ws = tempDir();
    mkdirSync(join(ws, 'TOOLS.md'));
    await using kernel = workspaceKernel({ workspace: { path: ws } });

    const run = await runSetup(kernel, ['--overwrite']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot write ${join(ws, 'TOOLS.md')}: exists and is not a regular file`);
  });
});
