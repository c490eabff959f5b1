import { resolve } from 'node:path';
import type { ConfigAccess, PromptSection } from '../../../contracts/index.js';
import type { PromptFiles } from '../../workspace/prompt-sections/index.js';
import { readToolNotesSettings, readWorkspaceView } from '../agent-settings.js';

/**
 * Notes about the tools and the machine: `tools.notes` written inline, then the notes file.
 * The file is `tools.notes_file` (relative to the workspace) or, when that is unset and the
 * workspace is on, the workspace's TOOLS.md. Both files are capped by `workspace.max_chars`.
 */
export function toolNotesSection(config: ConfigAccess, files: PromptFiles): PromptSection {
  return {
    order: 800,
    async render() {
      const { notes, notesFile } = readToolNotesSettings(config);
      const workspace = readWorkspaceView(config);
      let fileText = '';
      if (notesFile !== undefined) {
        fileText = await files.read(resolve(workspace.dir, notesFile), workspace.maxChars, 'tools.notes_file');
      } else if (workspace.enabled) {
        fileText = await files.read(resolve(workspace.dir, workspace.toolsFile), workspace.maxChars, 'workspace.tools_file');
      }
      const parts = [notes?.trim() ?? '', fileText].filter((part) => part !== '');
      return parts.length === 0 ? undefined : `Tool notes:\n${parts.join('\n')}`;
    },
  };
}
