import type { ChannelHealth, ChannelProbeResult, ChannelStatus } from '@nexus/plugin-sdk';
import type { DeadLetterFile } from './dead-letters.js';
import type { WebhookActivity } from './webhook-activity.js';
import type { WebhookSettings } from './webhook-settings.js';

export interface CallbackProbe {
  readonly account: string;
  readonly url?: string;
  readonly reachable: boolean;
  readonly latencyMs?: number;
  readonly message: string;
}

const PROBE_TIMEOUT_MS = 5_000;

/**
 * Asks each account's callback URL whether it answers, with a HEAD request: any HTTP answer
 * (even 404 or 405) means the receiver is there; only no answer at all is unreachable.
 */
export async function probeCallbacks(settings: WebhookSettings, signal: AbortSignal): Promise<readonly CallbackProbe[]> {
  return Promise.all(
    Object.entries(settings.accounts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(async ([account, { callback_url: url }]): Promise<CallbackProbe> => {
        if (!url) return { account, reachable: false, message: `${account}: no callback_url, so replies cannot be delivered` };
        const started = performance.now();
        try {
          const response = await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.any([signal, AbortSignal.timeout(PROBE_TIMEOUT_MS)]) });
          await response.body?.cancel().catch(() => undefined);
          const latencyMs = Math.round(performance.now() - started);
          return { account, url, reachable: true, latencyMs, message: `${account}: ${url} answered ${response.status} in ${latencyMs} ms` };
        } catch (error) {
          const cause = (error as { cause?: { code?: string } }).cause?.code;
          const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${PROBE_TIMEOUT_MS} ms` : (cause ?? (error as Error).message);
          return { account, url, reachable: false, message: `${account}: ${url} is unreachable (${reason})` };
        }
      }),
  );
}

/** `channels status` and `doctor --probe` for the webhook channel. */
export class WebhookHealth implements ChannelHealth {
  constructor(
    private readonly settings: WebhookSettings,
    private readonly activity: WebhookActivity,
    private readonly deadLetters: DeadLetterFile,
  ) {}

  status(): ChannelStatus {
    const { recorded, waiting } = this.deadLetters.counts();
    const problems = [
      ...(this.activity.lastError ? [this.activity.lastError] : []),
      ...(recorded > 0 ? [`${recorded} undelivered repl${recorded === 1 ? 'y' : 'ies'} recorded in ${this.deadLetters.path} since start`] : []),
      ...(waiting > 0 ? [`${waiting} undelivered repl${waiting === 1 ? 'y' : 'ies'} could not be written to ${this.deadLetters.path} and wait in memory`] : []),
    ];
    return {
      connected: this.activity.running,
      ...(problems.length > 0 ? { error: problems.join('; ') } : {}),
      ...(this.activity.lastActivityAt !== undefined ? { lastActivityAt: this.activity.lastActivityAt } : {}),
    };
  }

  async probe(options: { readonly signal: AbortSignal }): Promise<ChannelProbeResult> {
    const results = await probeCallbacks(this.settings, options.signal);
    if (results.length === 0) return { healthy: false, message: 'no webhook accounts are configured (channels.webhook.accounts)' };
    const latencies = results.flatMap((r) => (r.latencyMs === undefined ? [] : [r.latencyMs]));
    return {
      healthy: results.every((r) => r.reachable),
      ...(latencies.length > 0 ? { latencyMs: Math.max(...latencies) } : {}),
      message: results.map((r) => r.message).join('; '),
    };
  }
}
