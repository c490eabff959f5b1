import type { AdminStatusError, Clock, PluginRegistrationContext } from '@nexus/plugin-sdk';

/** How many recent errors `nexus status` shows: enough to see a pattern, few enough to read. */
export const RECENT_ERRORS = 20;

/**
 * The last errors the gateway heard about through the observing hooks: plugins that failed,
 * model calls given up on, replies not delivered, turns that ended in error. A ring, newest
 * first; messages are the hooks' own (already redacted by the kernel's logger rules, and the
 * hooks carry no credentials).
 */
export class RecentErrors {
  private readonly entries: AdminStatusError[] = [];

  /** The system clock until `activate` hands over the kernel's (tests inject one). */
  clock: Clock = { now: () => Date.now() };

  /** Subscribes to the hooks; done in `register`, so errors during startup are caught too. */
  listen(ctx: PluginRegistrationContext): void {
    ctx.onHook('plugin.failed', ({ pluginId, diagnostic }) => this.add('plugin', `${pluginId}: ${diagnostic.message}`));
    ctx.onHook('provider.failed', ({ provider, model, reason, status, next }) => {
      if (next === 'give_up') this.add('provider', `${provider} ${model}: ${reason}${status === undefined ? '' : ` (HTTP ${status})`}, gave up`);
    });
    ctx.onHook('message.failed', ({ channel, accountId, code, message }) => this.add('delivery', `${channel}/${accountId}: ${code}: ${message}`));
    ctx.onHook('turn.completed', ({ outcome, errorCode, sessionId, channel }) => {
      if (outcome === 'error') this.add('turn', `session ${sessionId} (${channel}): ${errorCode ?? 'error'}`);
    });
  }

  add(source: string, message: string): void {
    this.entries.unshift({ at: this.clock.now(), source, message });
    if (this.entries.length > RECENT_ERRORS) this.entries.length = RECENT_ERRORS;
  }

  list(): readonly AdminStatusError[] {
    return this.entries.map((e) => ({ ...e }));
  }
}
