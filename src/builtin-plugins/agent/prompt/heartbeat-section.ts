import { resolve } from 'node:path';
import type { ConfigAccess, PromptSection } from '../../../contracts/index.js';
import type { PromptFiles } from '../../workspace/prompt-sections/index.js';
import { readHeartbeatSettings, readWorkspaceView } from '../agent-settings.js';

/**
 * The heartbeat checklist (`session.heartbeat`). Mode `always` puts it in every prompt;
 * `on_demand` only in heartbeat turns. The file resolves against the workspace folder, the same
 * place `nexus setup` seeds it and `nexus doctor` checks it (the Go version read it from the
 * current directory instead).
 */
export function heartbeatSection(config: ConfigAccess, files: PromptFiles): PromptSection {
  return {
    order: 500,
    async render(context) {
      const heartbeat = readHeartbeatSettings(config);
      if (!heartbeat.enabled) return undefined;
      if (heartbeat.mode === 'on_demand' && !context.heartbeat) return undefined;
      const workspace = readWorkspaceView(config);
      const checklist = await files.read(resolve(workspace.dir, heartbeat.file), workspace.maxChars, 'session.heartbeat.file');
      if (checklist === '') return undefined;
      return `Heartbeat checklist (report only what is new or changed since the last heartbeat; if nothing needs attention, reply exactly HEARTBEAT_OK):\n${checklist}`;
    },
  };
}
