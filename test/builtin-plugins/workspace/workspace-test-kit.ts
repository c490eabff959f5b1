import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { DoctorChecks, type DoctorFinding } from '@nexus/plugin-sdk';
import { createTestKernel, type TestKernel } from '../../../src/kernel/testing/index.js';
import { runCommandLine, type CommandRun } from '../../helpers/command-line.js';

export const pluginDir = join(import.meta.dirname, '../../../src/builtin-plugins/workspace');
/** The agent plugin owns `session`; without it a `session` setting would be an unknown section. */
export const agentPluginDir = join(import.meta.dirname, '../../../src/builtin-plugins/agent');

export const DEFAULT_NAMES = ['AGENTS.md', 'SOUL.md', 'USER.md', 'IDENTITY.md', 'TOOLS.md', 'HEARTBEAT.md', 'MEMORY.md'];

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) {
    // A test may have made a folder read-only; give write access back so it can be removed.
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A fresh real folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nexus-workspace-'));
  temps.push(dir);
  return dir;
}

/** A kernel holding the workspace plugin (and the agent plugin, for `session`). */
export function workspaceKernel(settings: Record<string, unknown> = {}): TestKernel {
  return createTestKernel({ plugin: pluginDir, with: [agentPluginDir], settings });
}

export async function runSetup(
  kernel: TestKernel,
  argv: readonly string[],
  options: { readonly configPath?: string; readonly signal?: AbortSignal } = {},
): Promise<CommandRun> {
  return runCommandLine(kernel, 'setup', argv, { configPath: options.configPath, ...(options.signal ? { signal: options.signal } : {}) });
}

export type { CommandRun };

export async function runDoctorCheck(kernel: TestKernel): Promise<readonly DoctorFinding[]> {
  const check = await kernel.contributions.get(DoctorChecks, 'workspace-files');
  return check.run({ signal: AbortSignal.timeout(10_000), probe: false });
}
