import type { HostStatus, LivePluginState } from '@nexus/plugin-sdk';
import type { PluginRecord } from '../plan/index.js';

/**
 * The kernel's read-only `HostStatus` service: copies of what the plan holds now, so a reader can
 * neither change a plugin's state nor see one change under it.
 */
export function hostStatus(version: string, startedAt: number, records: () => Iterable<PluginRecord>): HostStatus {
  return {
    version,
    pid: process.pid,
    startedAt,
    plugins: () => [...records()].map(livePluginState),
  };
}

function livePluginState(record: PluginRecord): LivePluginState {
  return {
    id: record.id,
    version: record.manifest?.version ?? null,
    origin: record.origin,
    enabled: record.enabled,
    state: record.state,
    diagnostics: record.diagnostics.map((d) => ({ ...d })),
    channels: (record.manifest?.contributes?.channels ?? []).map((c) => c.name),
  };
}
