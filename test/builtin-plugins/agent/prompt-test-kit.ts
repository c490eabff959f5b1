import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { promptContextFor } from '../../../src/builtin-plugins/agent/prompt/prompt-context.js';
import { PromptBuilderToken, type AssembledPrompt, type Turn } from '@nexus/plugin-sdk';
import type { TestKernel } from '../../../src/kernel/testing/index.js';
import { agentKernel, tempDir } from './agent-test-kit.js';

const goldenDir = join(import.meta.dirname, 'golden');

/**
 * Compares `actual` with `golden/<name>.txt`. Run with UPDATE_GOLDEN=1 to (re)write the files,
 * then read the diff: the golden files are the reviewed statement of what the model sees.
 */
export function expectGolden(name: string, actual: string): void {
  const path = join(goldenDir, `${name}.txt`);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual.endsWith('\n') ? actual : `${actual}\n`);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden file ${path} is missing; run the test with UPDATE_GOLDEN=1 and review it`);
  expect(actual, `prompt differs from golden/${name}.txt (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(path, 'utf8').replace(/\n$/, ''));
}

/** A workspace folder holding `files` (relative names). */
export function workspaceWith(files: Readonly<Record<string, string>>): string {
  const dir = tempDir();
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

export const FULL_WORKSPACE = {
  'AGENTS.md': '# Agent instructions\n\nRead SOUL.md first. Ask before deleting anything.\n',
  'SOUL.md': '# Soul\n\nDirect, warm, no filler.\n',
  'USER.md': '# User\n\n- Works on compilers.\n',
  'IDENTITY.md': '# Identity\n\n- Signs with an owl.\n',
  'MEMORY.md': '# Memory\n\n- The cat is called Turing.\n',
  'TOOLS.md': '# Tools\n\n- The printer is called office-laser.\n',
  'HEARTBEAT.md': '# Heartbeat\n\n- [ ] Any deadlines today?\n',
};

export const FULL_PROFILE = {
  identity: { name: 'Nyx', creature: 'familiar', vibe: 'calm and dry-witted', emoji: '🦉' },
  user: { name: 'Ada Lovelace', preferred_address: 'Ada', pronouns: 'she/her', timezone: 'Europe/London', notes: 'prefers short answers' },
};

/** A kernel with the agent and workspace plugins (and `with`), for prompt assembly. */
export function promptKernel(settings: Readonly<Record<string, unknown>>, options: { readonly with?: readonly string[]; readonly configPath?: string } = {}): TestKernel {
  return agentKernel({ settings, workspace: true, ...options });
}

/** Builds the prompt for a message the way the runtime does; a one-to-one Telegram chat unless told (MEMORY.md shows only in private chats). */
export async function buildPrompt(kernel: TestKernel, turn: Partial<Pick<Turn, 'content' | 'metadata' | 'channel'>> = {}): Promise<AssembledPrompt> {
  const builder = await kernel.services.get(PromptBuilderToken);
  const context = promptContextFor({ sessionId: 'session-1', agentId: 'main', channel: turn.channel ?? 'telegram', content: turn.content ?? 'hello', metadata: turn.metadata ?? { chat_type: 'private' } }, AbortSignal.timeout(10_000));
  return builder.build(context);
}

export function sectionNames(prompt: AssembledPrompt): string[] {
  return prompt.sections.map((s) => s.name);
}
