import { resolve } from 'node:path';
import type { ConfigAccess, PromptSection } from '@nexus/plugin-sdk';
import { DerivedSettings, type PromptFiles } from '@nexus/plugin-sdk/prompt';
import { readToolNotesSettings, readWorkspaceView } from '../agent-settings.js';

interface Notes {
  /** `tools.notes`, trimmed; empty when unset. */
  readonly inline: string;
  readonly file: { readonly path: string; readonly maxChars: number; readonly setting: string } | undefined;
}

/**
 * Notes about the tools and the machine: `tools.notes` written inline, then the notes file.
 * The file is `tools.notes_file` (relative to the workspace) or, when that is unset and the
 * workspace is on, the workspace's TOOLS.md. Both files are capped by `workspace.max_chars`.
 * Its settings are worked out once per config, and while the file is fresh in `files` it
 * answers without a promise.
 */
export function toolNotesSection(config: ConfigAccess, files: PromptFiles): PromptSection {
  const target = new DerivedSettings<Notes>();
  const joined = (inline: string, fileText: string) => {
    const parts = [inline, fileText].filter((part) => part !== '');
    return parts.length === 0 ? undefined : `Tool notes:\n${parts.join('\n')}`;
  };
  return {
    order: 800,
    render() {
      const notes = target.get([config.section('tools'), config.section('workspace'), config.path], () => {
        const { notes: inline, notesFile } = readToolNotesSettings(config);
        const workspace = readWorkspaceView(config);
        const file =
          notesFile !== undefined
            ? { path: resolve(workspace.dir, notesFile), maxChars: workspace.maxChars, setting: 'tools.notes_file' }
            : workspace.enabled
              ? { path: resolve(workspace.dir, workspace.toolsFile), maxChars: workspace.maxChars, setting: 'workspace.tools_file' }
              : undefined;
        return { inline: inline?.trim() ?? '', file };
      });
      const { inline, file } = notes;
      if (file === undefined) return joined(inline, '');
      const text = files.cached(file.path, file.maxChars);
      return text !== undefined ? joined(inline, text) : files.read(file.path, file.maxChars, file.setting).then((read) => joined(inline, read));
    },
  };
}
