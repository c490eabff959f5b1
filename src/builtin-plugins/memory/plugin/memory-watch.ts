import type { PluginActivationContext } from '@nexus/plugin-sdk';
import type { MemoryHost } from './memory-host.js';

/** Activation events of a long-running host (serve); a one-shot command needs no watcher. */
const RUNNING_EVENTS = /^(onStartup|required|reload)/;

/**
 * The watcher, started with the plugin in a running host and stopped with it: an index run
 * first (the files may have changed while nothing watched), then re-indexing after
 * `memory.watch.debounce` of quiet. Runs as a tracked task, so stopping the plugin waits for it.
 */
export function startWatching(ctx: PluginActivationContext, host: MemoryHost): void {
  if (!RUNNING_EVENTS.test(ctx.event) || !host.settings().watch.enabled) return;
  void ctx.tasks
    .run('memory watcher', async (signal) => {
      const engine = await host.engine();
      if (signal.aborted) return;
      const watcher = engine.watch(undefined, (error) => ctx.logger.warn(`memory re-index failed: ${error.message}`));
      try {
        await engine.index({ signal }).catch((error: unknown) => ctx.logger.warn(`memory index failed: ${(error as Error).message}; search answers from what is indexed`));
        await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
      } finally {
        watcher.close();
      }
    })
    .catch((error: unknown) => ctx.logger.warn(`memory watcher did not start: ${(error as Error).message}`));
}
