import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { DoctorChecks, PromptSections, type DoctorFinding, type PromptContext } from '@nexus/plugin-sdk';
import { createTestKernel, type TestKernel } from '../../../src/kernel/testing/index.js';
import { runCommandLine, type CommandRun } from '../../helpers/command-line.js';

export const pluginDir = join(import.meta.dirname, '../../../src/builtin-plugins/skills');
/** The workspace plugin owns `workspace`, which says where the workspace's skills/ folder is. */
export const workspacePluginDir = join(import.meta.dirname, '../../../src/builtin-plugins/workspace');

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nexus-skills-'));
  temps.push(dir);
  return dir;
}

/** Writes `<root>/<folder>/SKILL.md` and returns its path. */
export function writeSkill(root: string, folder: string, text: string): string {
  mkdirSync(join(root, folder), { recursive: true });
  const file = join(root, folder, 'SKILL.md');
  writeFileSync(file, text);
  return file;
}

/** A SKILL.md with the given front matter lines and a body. */
export function skillText(frontMatter: string, body = '# Instructions\nDo the thing carefully.\n'): string {
  return `---\n${frontMatter.trim()}\n---\n${body}`;
}

/** A fake executable on a PATH folder of its own; nothing ever runs it. */
export function fakeBin(name: string): string {
  const dir = tempDir();
  writeFileSync(join(dir, name), '#!/bin/sh\nexit 0\n');
  chmodSync(join(dir, name), 0o755);
  return dir;
}

export function skillsKernel(settings: Record<string, unknown> = {}, configPath?: string): TestKernel {
  return createTestKernel({ plugin: pluginDir, with: [workspacePluginDir], settings, ...(configPath ? { configPath } : {}) });
}

export async function runSkills(kernel: TestKernel, argv: readonly string[], configPath?: string): Promise<CommandRun> {
  return runCommandLine(kernel, 'skills', argv, configPath ? { configPath } : {});
}

export async function renderSection(kernel: TestKernel): Promise<string | undefined> {
  const section = await kernel.contributions.get(PromptSections, 'skills');
  return section.render({} as PromptContext);
}

export async function runDoctorCheck(kernel: TestKernel): Promise<readonly DoctorFinding[]> {
  const check = await kernel.contributions.get(DoctorChecks, 'skills');
  return check.run({ signal: AbortSignal.timeout(10_000), probe: false });
}
