import type { ChannelLifecycle } from '../contracts/index.js';

/**
 * A channel plugin's runtime, built on first use and stopped with the plugin. Kept in the
 * plugin's `register` (one slot per activation) so `deactivate` stops exactly what this
 * activation started, and builds nothing (imports no platform library) when nothing used it.
 */
export class ChannelRuntimeSlot<T> {
  private runtime: T | undefined;

  constructor(private readonly lifecycleOf: (runtime: T) => ChannelLifecycle) {}

  /** The runtime, built by `create` the first time. */
  get(create: () => T): T {
    return (this.runtime ??= create());
  }

  /**
   * Stops every account, connection and timer of the runtime, if it was built. Run from
   * `deactivate`, so a kernel stop or a config reload ends the old connections even without a
   * gateway; the gateway may stop the same lifecycle again, which channels allow.
   */
  async stop(): Promise<void> {
    if (this.runtime !== undefined) await this.lifecycleOf(this.runtime).stop();
  }
}
