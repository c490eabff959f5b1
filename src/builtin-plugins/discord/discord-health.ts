import type { ChannelAccountStatus, ChannelHealth, ChannelProbeResult, ChannelStatus } from '@nexus/plugin-sdk';
import type { DiscordAccountEntry } from './discord-accounts.js';

/**
 * `channels status` and its `--probe`. An account is connected only while its newest inbound
 * frame (a dispatch or a heartbeat ACK) is fresh, so a zombie connection shows as not connected;
 * `probe` also replaces such a connection at once instead of waiting for the next check.
 */
export class DiscordHealth implements ChannelHealth {
  constructor(private readonly accounts: ReadonlyMap<string, DiscordAccountEntry>) {}

  status(): ChannelStatus {
    const accounts: Record<string, ChannelAccountStatus> = {};
    for (const entry of this.accounts.values()) accounts[entry.name] = accountStatus(entry);
    const all = Object.values(accounts);
    const errors = Object.entries(accounts).flatMap(([name, status]) => (status.error ? [`${name}: ${status.error}`] : []));
    const lastActivityAt = Math.max(...all.map((status) => status.lastInboundAt ?? Number.NEGATIVE_INFINITY));
    return {
      connected: all.length > 0 && all.every((status) => status.connected),
      ...(errors.length > 0 ? { error: errors.join('; ') } : {}),
      ...(Number.isFinite(lastActivityAt) ? { lastActivityAt } : {}),
      accounts,
    };
  }

  async probe(options: { readonly signal: AbortSignal }): Promise<ChannelProbeResult> {
    if (this.accounts.size === 0) return { healthy: false, message: 'no Discord accounts are configured (channels.discord.accounts)' };
    const results = await Promise.all(
      [...this.accounts.values()].map(async (entry): Promise<ChannelProbeResult> => {
        options.signal.throwIfAborted();
        if (entry.engine.status().state === 'idle') return credentialsOnly(entry);
        entry.engine.checkLiveness();
        return entry.engine.probe();
      }),
    );
    const latencies = results.flatMap((result) => (result.latencyMs === undefined ? [] : [result.latencyMs]));
    return { healthy: results.every((result) => result.healthy), ...(latencies.length > 0 ? { latencyMs: Math.max(...latencies) } : {}), message: results.map((result) => result.message).join('\n') };
  }
}

/**
 * The probe of an account this process never started (`nexus channels status --probe` and
 * `doctor --probe` run in their own process, beside the gateway): the credential check alone.
 */
async function credentialsOnly(entry: DiscordAccountEntry): Promise<ChannelProbeResult> {
  const report = await entry.engine.login();
  const said = report.ok ? 'the credentials work (not connected from this process)' : report.problems.join('; ');
  const message = [`discord/${entry.name}: ${said}`, ...report.warnings].join('; ');
  return { healthy: report.ok, ...(report.latencyMs !== undefined ? { latencyMs: report.latencyMs } : {}), message };
}

function accountStatus(entry: DiscordAccountEntry): ChannelAccountStatus {
  const status = entry.engine.status();
  const stale = status.state === 'connected' && !status.healthy ? `no frame from Discord for ${status.inboundAgeMs ?? 0} ms (a zombie connection; it is being replaced)` : undefined;
  const error = stale ?? status.error;
  return {
    connected: status.healthy,
    state: status.state,
    ...(error ? { error } : {}),
    ...(status.lastInboundAt !== undefined ? { lastInboundAt: status.lastInboundAt } : {}),
    received: status.received,
    sent: entry.counters.sent,
    failed: entry.counters.failed,
    refused: status.refused,
  };
}
