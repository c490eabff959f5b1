import type { ConfigAccess, PromptSection } from '../../../contracts/index.js';
import { readWorkspaceSettings, workspaceDir, workspaceFiles, type WorkspaceFileKind } from '../workspace-settings.js';
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
      const file = workspaceFiles(settings, workspaceDir(settings, config.path)).find((f) => f.kind === kind)!;
      const text = await files.read(file.path, settings.max_chars, file.setting);
      return text === '' ? undefined : `${entry.label} (${file.name}):\n${text}`;
    },
  };
}
