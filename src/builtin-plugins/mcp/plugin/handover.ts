import type { ConnectionManager } from '../connections/index.js';

/**
 * How long a stopped plugin's MCP servers wait to be taken over by the plugin's next activation.
 * A config reload deactivates the plugin and activates it again at once; anything longer than
 * this means the plugin was disabled, and its servers are stopped.
 */
export const HANDOVER_GRACE_MS = 5_000;

interface Parked {
  readonly manager: ConnectionManager;
  readonly timer: NodeJS.Timeout;
}

// On globalThis, not in a module variable: the host may load the plugin's module afresh.
const SLOT = Symbol.for('nexus.mcp.parked-connections');
type Holder = { [SLOT]?: Parked };

/**
 * Keeps the running connections of a plugin instance that a reload is replacing, so the next
 * instance can adopt them and retire only the servers whose settings changed
 * (`ConnectionManager.reload`) instead of restarting every server. The SDK restarts a plugin
 * whose section changed; this hand-over is what keeps unchanged servers (and their processes) up.
 */
export function park(manager: ConnectionManager, graceMs = HANDOVER_GRACE_MS): void {
  const holder = globalThis as Holder;
  const previous = holder[SLOT];
  if (previous && previous.manager !== manager) {
    clearTimeout(previous.timer);
    void previous.manager.stop();
  }
  const timer = setTimeout(() => {
    if (holder[SLOT]?.manager === manager) delete holder[SLOT];
    void manager.stop();
  }, graceMs);
  // A parked manager never keeps the process alive; its stdio children see stdin close and exit.
  timer.unref();
  holder[SLOT] = { manager, timer };
}

/** The parked connections, taken over (their stop timer cancelled), if any are still up. */
export function adoptParked(): ConnectionManager | undefined {
  const holder = globalThis as Holder;
  const parked = holder[SLOT];
  if (!parked) return undefined;
  delete holder[SLOT];
  clearTimeout(parked.timer);
  return parked.manager.isClosed ? undefined : parked.manager;
}

/** Whether a previous activation left connections to take over. */
export function hasParked(): boolean {
  const parked = (globalThis as Holder)[SLOT];
  return parked !== undefined && !parked.manager.isClosed;
}

/** Stops parked connections now (the kernel is stopping: nothing will take them over). */
export async function stopParked(): Promise<void> {
  const manager = adoptParked();
  await manager?.stop();
}
