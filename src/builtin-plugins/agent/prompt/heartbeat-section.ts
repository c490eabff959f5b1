import { resolve } from 'node:path';
import type { ConfigAccess, PromptSection } from '@nexus/plugin-sdk';
import { DerivedSettings, type PromptFiles } from '@nexus/plugin-sdk/prompt';
import { readHeartbeatSettings, readWorkspaceView, type HeartbeatSettings } from '../agent-settings.js';

interface Checklist {
  readonly mode: HeartbeatSettings['mode'];
  readonly path: string;
  readonly maxChars: number;
}

const HEADING =
  'Heartbeat checklist (report only what is new or changed since the last heartbeat; if nothing needs attention, reply exactly HEARTBEAT_OK):';

/**
 * The heartbeat checklist (`session.heartbeat`). Mode `always` puts it in every prompt;
 * `on_demand` only in heartbeat turns. The file resolves against the workspace folder, the same
 * place `nexus setup` seeds it and `nexus doctor` checks it (the Go version read it from the
 * current directory instead). Its settings are worked out once per config, and while the file
 * is fresh in `files` it answers without a promise.
 */
export function heartbeatSection(config: ConfigAccess, files: PromptFiles): PromptSection {
  const target = new DerivedSettings<Checklist | undefined>();
  const labelled = (checklist: string) => (checklist === '' ? undefined : `${HEADING}\n${checklist}`);
  return {
    order: 500,
    render(context) {
      const checklist = target.get([config.section('session'), config.section('workspace'), config.path], () => {
        const heartbeat = readHeartbeatSettings(config);
        if (!heartbeat.enabled) return undefined;
        const workspace = readWorkspaceView(config);
        return { mode: heartbeat.mode, path: resolve(workspace.dir, heartbeat.file), maxChars: workspace.maxChars };
      });
      if (checklist === undefined) return undefined;
      if (checklist.mode === 'on_demand' && !context.heartbeat) return undefined;
      const text = files.cached(checklist.path, checklist.maxChars);
      return text !== undefined ? labelled(text) : files.read(checklist.path, checklist.maxChars, 'session.heartbeat.file').then(labelled);
    },
  };
}
