import {
  adminCredentials,
  ChannelHealths,
  describeChannel,
  fetchAdminStatus,
  GatewayQueryError,
  type ChannelProbeResult,
  type ChannelStatus,
  type CliCommandContext,
  type Clock,
  type ContributionRegistry,
} from '@nexus/plugin-sdk';

/** How long one channel's probe may take before it counts as failed. */
export const PROBE_TIMEOUT_MS = 15_000;

/** Exit codes: 3 (as LSB `status`) when no gateway runs. */
const NOT_RUNNING = 3;

type StatusOptions = {
  readonly probe?: boolean;
  readonly 'api-key'?: string;
  readonly token?: string;
  readonly json?: boolean;
};

/**
 * `nexus channels status [--probe]`: the running gateway's live channel state, asked over its
 * admin status route (this process has no connections of its own to report on); `--probe` also
 * runs each channel's probe from here.
 */
export async function channelStatus(ctx: CliCommandContext<Record<string, never>, StatusOptions>, deps: { readonly home: string; readonly contributions: ContributionRegistry; readonly clock: Clock; readonly env: NodeJS.ProcessEnv }): Promise<number> {
  const options = ctx.options;
  let live: { readonly pid: number; readonly channels: Readonly<Record<string, ChannelStatus>> } | undefined;
  let problem: GatewayQueryError | undefined;
  try {
    const { status } = await fetchAdminStatus(deps.home, adminCredentials({ apiKey: options['api-key'], token: options.token }, deps.env), ctx.signal);
    live = { pid: status.pid, channels: status.channels };
  } catch (error) {
    if (!(error instanceof GatewayQueryError)) throw error;
    problem = error;
  }
  const probes = options.probe === true ? await runProbes(deps.contributions, ctx.signal) : undefined;

  if (options.json === true) {
    ctx.stdout(`${JSON.stringify({ running: live !== undefined, ...(live ? { pid: live.pid, channels: live.channels } : { problem: problem?.message }), ...(probes ? { probes } : {}) }, null, 2)}\n`);
  } else {
    const now = deps.clock.now();
    if (live) {
      const channels = Object.entries(live.channels).sort(([a], [b]) => a.localeCompare(b));
      ctx.stdout(channels.length > 0 ? `Live channel state from the gateway (pid ${live.pid}):\n` : `The gateway (pid ${live.pid}) runs no channel that reports its health.\n`);
      for (const [name, status] of channels) ctx.stdout(`${describeChannel(name, status, now).map((line) => `  ${line}`).join('\n')}\n`);
    } else {
      ctx.stderr(`${problem?.code === 'not-running' ? 'No gateway is running' : 'Cannot ask the gateway'}: ${problem?.message}\n`);
    }
    if (probes) {
      ctx.stdout(Object.keys(probes).length > 0 ? 'Probes (from this host):\n' : 'Probes: no enabled channel has one.\n');
      for (const [name, result] of Object.entries(probes)) {
        ctx.stdout(`  ${name}  ${result.healthy ? 'ok' : 'FAILED'}${result.latencyMs === undefined ? '' : ` in ${result.latencyMs} ms`}: ${result.message}\n`);
      }
    }
  }
  if (!live) return problem?.code === 'not-running' ? NOT_RUNNING : 1;
  return probes && Object.values(probes).some((p) => !p.healthy) ? 1 : 0;
}

/** Each enabled channel's probe, one at a time, each within `PROBE_TIMEOUT_MS`; one that throws is a failed probe. */
async function runProbes(contributions: ContributionRegistry, signal: AbortSignal): Promise<Record<string, ChannelProbeResult>> {
  const results: Record<string, ChannelProbeResult> = {};
  for (const { name, value } of await contributions.getAll(ChannelHealths)) {
    try {
      results[name] = await value.probe({ signal: AbortSignal.any([signal, AbortSignal.timeout(PROBE_TIMEOUT_MS)]) });
    } catch (error) {
      results[name] = { healthy: false, message: (error as Error).message };
    }
  }
  return results;
}
