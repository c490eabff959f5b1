import { resolve } from 'node:path';
import type { ConfigAccess, PromptSection } from '@nexus/plugin-sdk';
import { readWorkspaceSettings, workspaceDir, type WorkspaceFileKind } from '../workspace-settings.js';
import { decideSessionPrivacy, DerivedSettings } from '@nexus/plugin-sdk/prompt';
import type { PromptFiles } from '@nexus/plugin-sdk/prompt';

/** The workspace files that go into the prompt, in prompt order, with the label the model sees. */
export const PROMPT_FILES = [
  { section: 'workspace-agents', kind: 'agents', label: 'Workspace instructions', order: 410 },
  { section: 'workspace-soul', kind: 'soul', label: 'Persona and boundaries', order: 420 },
  { section: 'workspace-user', kind: 'user', label: 'Workspace user profile', order: 430 },
  { section: 'workspace-identity', kind: 'identity', label: 'Workspace identity', order: 440 },
  { section: 'workspace-memory', kind: 'memory', label: 'Workspace memory', order: 450 },
] as const satisfies readonly { section: string; kind: WorkspaceFileKind; label: string; order: number }[];

/** Where one section's file is; undefined while the workspace is off. */
interface FileTarget {
  readonly name: string;
  readonly path: string;
  readonly maxChars: number;
}

/**
 * One section per file, so a file that cannot be read fails only itself, and `nexus prompt`
 * shows each file's share of the prompt. Nothing renders while `workspace.enabled` is false;
 * a missing file renders nothing; each is capped by `workspace.max_chars`. MEMORY.md renders
 * only in private sessions (`decideSessionPrivacy`): a group chat never sees it.
 *
 * It runs on every turn, so it works out its file's path once per config and, while the file is
 * fresh in `files`, answers without a promise (the builder then needs no deadline for it).
 */
export function workspaceFileSection(config: ConfigAccess, kind: (typeof PROMPT_FILES)[number]['kind'], files: PromptFiles): PromptSection {
  const entry = PROMPT_FILES.find((f) => f.kind === kind)!;
  const setting = `workspace.${kind}_file`;
  const target = new DerivedSettings<FileTarget | undefined>();
  const labelled = (name: string, text: string) => (text === '' ? undefined : `${entry.label} (${name}):\n${text}`);
  return {
    order: entry.order,
    render(context) {
      // Long-term memory is about the user: never in a group chat, nor where the channel does not say.
      if (kind === 'memory' && !decideSessionPrivacy({ channel: context.channel, metadata: context.metadata }).private) return undefined;
      const file = target.get([config.section('workspace'), config.path], () => {
        const settings = readWorkspaceSettings(config);
        if (!settings.enabled) return undefined;
        // Only this section's file (absolute names are used as given).
        const name = settings[`${kind}_file`];
        return { name, path: resolve(workspaceDir(settings, config.path), name), maxChars: settings.max_chars };
      });
      if (file === undefined) return undefined;
      const text = files.cached(file.path, file.maxChars);
      return text !== undefined ? labelled(file.name, text) : files.read(file.path, file.maxChars, setting).then((read) => labelled(file.name, read));
    },
  };
}
