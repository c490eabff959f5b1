import { resolve } from 'node:path';
import type { ConfigAccess, PromptSection } from '../../../contracts/index.js';
import { readWorkspaceSettings, workspaceDir, type WorkspaceFileKind } from '../workspace-settings.js';
import type { PromptFiles } from './prompt-file.js';

/** The workspace files that go into the prompt, in prompt order, with the label the model sees. */
export const PROMPT_FILES = [
  { section: 'workspace-agents', kind: 'agents', label: 'Workspace instructions', order: 410 },
  { section: 'workspace-soul', kind: 'soul', label: 'Persona and boundaries', order: 420 },
  { section: 'workspace-user', kind: 'user', label: 'Workspace user profile', order: 430 },
  { section: 'workspace-identity', kind: 'identity', label: 'Workspace identity', order: 440 },
  { section: 'workspace-memory', kind: 'memory', label: 'Workspace memory', order: 450 },
] as const satisfies readonly { section: string; kind: WorkspaceFileKind; label: string; order: number }[];

/**
 * One section per file, so a file that cannot be read fails only itself, and `nexus prompt`
 * shows each file's share of the prompt. Nothing renders while `workspace.enabled` is false;
 * a missing file renders nothing; each is capped by `workspace.max_chars`.
 */
export function workspaceFileSection(config: ConfigAccess, kind: (typeof PROMPT_FILES)[number]['kind'], files: PromptFiles): PromptSection {
  const entry = PROMPT_FILES.find((f) => f.kind === kind)!;
  return {
    order: entry.order,
    async render() {
      const settings = readWorkspaceSettings(config);
      if (!settings.enabled) return undefined;
      // Runs on every turn: resolve only this section's file (absolute names are used as given).
      const name = settings[`${kind}_file`];
      const text = await files.read(resolve(workspaceDir(settings, config.path), name), settings.max_chars, `workspace.${kind}_file`);
      return text === '' ? undefined : `${entry.label} (${name}):\n${text}`;
    },
  };
}
