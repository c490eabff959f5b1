import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDoctorCheck, runSetup, tempDir, workspaceKernel } from './workspace-test-kit.js';

/** A workspace seeded by `nexus setup` itself, so the check sees exactly what users get. */
async function seeded(): Promise<string> {
  const ws = tempDir();
  await using kernel = workspaceKernel();
  const { code } = await runSetup(kernel, ['--workspace', ws]);
  expect(code).toBe(0);
  return ws;
}

describe('doctor check workspace-files', () => {
  it('reports one info finding when every file is present and small enough', async () => {
    const ws = await seeded();
    await using kernel = workspaceKernel({ workspace: { path: ws }, session: { heartbeat: { enabled: true } } });

    const findings = await runDoctorCheck(kernel);
    expect(findings).toEqual([
      {
        level: 'info',
        message: `workspace ${ws} has all 7 files, each within workspace.max_chars (20000); the heartbeat checklist ${join(ws, 'HEARTBEAT.md')} is present`,
      },
    ]);
  });

  it('warns about each missing workspace file, pointing at nexus setup', async () => {
    const ws = await seeded();
    rmSync(join(ws, 'SOUL.md'));
    rmSync(join(ws, 'MEMORY.md'));
    await using kernel = workspaceKernel({ workspace: { path: ws } });

    const findings = await runDoctorCheck(kernel);
    expect(findings).toEqual([
      { level: 'warning', message: `workspace file SOUL.md (workspace.soul_file) does not exist: ${join(ws, 'SOUL.md')}`, hint: 'run `nexus setup`' },
      { level: 'warning', message: `workspace file MEMORY.md (workspace.memory_file) does not exist: ${join(ws, 'MEMORY.md')}`, hint: 'run `nexus setup`' },
    ]);
  });

  it('checks the files named by workspace.*_file', async () => {
    const ws = await seeded();
    await using kernel = workspaceKernel({ workspace: { path: ws, user_file: 'people/me.md' } });

    const findings = await runDoctorCheck(kernel);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ level: 'warning', message: expect.stringContaining(`people/me.md (workspace.user_file) does not exist: ${join(ws, 'people', 'me.md')}`) });
  });

  it('warns about a file longer than workspace.max_chars, counting characters rather than bytes', async () => {
    const ws = await seeded();
    writeFileSync(join(ws, 'MEMORY.md'), 'x'.repeat(5001));
    // 5000 characters but 20000 bytes: it fits, though its byte size is over the limit.
    writeFileSync(join(ws, 'USER.md'), '🙂'.repeat(5000));
    await using kernel = workspaceKernel({ workspace: { path: ws, max_chars: 5000 } });

    expect(await runDoctorCheck(kernel)).toEqual([
      {
        level: 'warning',
        message: `workspace file ${join(ws, 'MEMORY.md')} has 5001 characters, more than workspace.max_chars (5000); the prompt gets only the first 5000`,
        hint: 'shorten the file (move old material elsewhere), or raise workspace.max_chars',
      },
    ]);
  });

  it('reports a missing workspace folder as an error with a hint, and nothing per file', async () => {
    const ws = join(tempDir(), 'absent');
    await using kernel = workspaceKernel({ workspace: { path: ws } });

    expect(await runDoctorCheck(kernel)).toEqual([
      { level: 'error', message: `workspace folder ${ws} does not exist`, hint: 'run `nexus setup` to create it with starter files, or point workspace.path at your workspace' },
    ]);
  });

  it('reports a missing heartbeat checklist as an error when heartbeat is enabled, without a duplicate warning', async () => {
    const ws = await seeded();
    rmSync(join(ws, 'HEARTBEAT.md'));
    await using kernel = workspaceKernel({ workspace: { path: ws }, session: { heartbeat: { enabled: true } } });

    expect(await runDoctorCheck(kernel)).toEqual([
      {
        level: 'error',
        message: `session.heartbeat is enabled, but its checklist ${join(ws, 'HEARTBEAT.md')} does not exist`,
        hint: 'run `nexus setup` to create it, or set session.heartbeat.enabled to false',
      },
    ]);
  });

  it('resolves session.heartbeat.file against the workspace and checks it even when the workspace is disabled', async () => {
    const ws = tempDir();
    await using kernel = workspaceKernel({ workspace: { path: ws, enabled: false }, session: { heartbeat: { enabled: true, file: 'ops/checklist.md' } } });

    expect(await runDoctorCheck(kernel)).toEqual([
      {
        level: 'error',
        message: `session.heartbeat is enabled, but its checklist ${join(ws, 'ops', 'checklist.md')} does not exist`,
        // setup seeds the checklist where session.heartbeat.file points, so it can create this one.
        hint: 'run `nexus setup` to create it, or set session.heartbeat.enabled to false',
      },
    ]);
  });

  it('only warns about a missing HEARTBEAT.md while heartbeat is disabled', async () => {
    const ws = await seeded();
    rmSync(join(ws, 'HEARTBEAT.md'));
    await using kernel = workspaceKernel({ workspace: { path: ws }, session: { heartbeat: { enabled: false } } });

    const findings = await runDoctorCheck(kernel);
    expect(findings.map((f) => f.level)).toEqual(['warning']);
    expect(findings[0]!.message).toContain('HEARTBEAT.md (session.heartbeat.file) does not exist');
  });

  it('skips the workspace files when the workspace is disabled, and says so', async () => {
    const ws = join(tempDir(), 'absent');
    await using kernel = workspaceKernel({ workspace: { path: ws, enabled: false } });

    expect(await runDoctorCheck(kernel)).toEqual([{ level: 'info', message: 'the workspace is disabled (workspace.enabled is false), so its files are not checked' }]);
  });
});
