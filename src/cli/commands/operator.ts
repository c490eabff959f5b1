import { adminCredentials, describeChannel, fetchAdminStatus, formatAge, GatewayQueryError, gatewayPidFile, isProcessAlive, readRunningGateway, type AdminStatus } from '@nexus/plugin-sdk';
import { defaultHome } from '../../kernel/index.js';
import { CliExit, EXIT, type CliIo } from '../cli-context.js';
import { table } from '../output/index.js';

export interface CredentialFlags {
  readonly apiKey?: string;
  readonly token?: string;
  readonly json?: boolean;
}

/** The gateway's status, or a `CliExit` that says why there is none: exit 3 when nothing runs, 1 otherwise. */
export async function askGateway(io: CliIo, flags: CredentialFlags): Promise<AdminStatus> {
  if (flags.apiKey !== undefined && flags.token !== undefined) throw new CliExit(EXIT.usage, 'pass --api-key or --token, not both');
  try {
    return (await fetchAdminStatus(defaultHome(io.env), adminCredentials(flags, io.env))).status;
  } catch (error) {
    if (error instanceof GatewayQueryError) throw new CliExit(error.code === 'not-running' ? EXIT.notRunning : EXIT.problems, error.message);
    throw error;
  }
}

/** `nexus status [--json]`: what the running gateway says about itself. */
export async function statusCommand(io: CliIo, flags: CredentialFlags, now: () => number = Date.now): Promise<number> {
  const status = await askGateway(io, flags);
  if (flags.json) {
    io.stdout(`${JSON.stringify(status, null, 2)}\n`);
    return EXIT.ok;
  }
  io.stdout(renderStatus(status, now()));
  return EXIT.ok;
}

const STATE_ORDER = ['active', 'failed', 'quarantined', 'discovered', 'disabled'] as const;
const STATE_WORDS: Record<(typeof STATE_ORDER)[number], string> = {
  active: 'active',
  failed: 'failed',
  quarantined: 'quarantined',
  discovered: 'not loaded (they load on first use)',
  disabled: 'disabled',
};

export function renderStatus(status: AdminStatus, now: number): string {
  const lines = [`Nexus ${status.version} (pid ${status.pid}) is ${status.serving === 'SERVING' ? 'serving' : 'running, not serving (starting or draining)'}; up ${formatAge(status.uptimeMs)}.`];
  lines.push('', 'Listeners:', ...status.listeners.map((l) => `  ${l.name.padEnd(5)} ${l.address}`));
  lines.push('', `Turns in flight: ${status.turnsInFlight}`);
  const counts = STATE_ORDER.map((state) => [state, status.plugins.filter((p) => p.state === state).length] as const).filter(([, n]) => n > 0);
  lines.push('', `Plugins: ${counts.map(([state, n]) => `${n} ${STATE_WORDS[state]}`).join(', ')}`);
  for (const plugin of status.plugins.filter((p) => p.state === 'failed' || p.state === 'quarantined')) {
    const reasons = plugin.diagnostics.filter((d) => d.level === 'error').map((d) => d.message);
    lines.push(`  ${plugin.state} ${plugin.id}: ${reasons.join('; ') || 'no reason recorded'}`);
  }
  const channels = Object.entries(status.channels).sort(([a], [b]) => a.localeCompare(b));
  lines.push('', channels.length > 0 ? 'Channels:' : 'Channels: none with a health report.');
  for (const [name, channel] of channels) lines.push(...describeChannel(name, channel, now).map((line) => `  ${line}`));
  lines.push('', status.lastErrors.length > 0 ? 'Recent errors (newest first):' : 'Recent errors: none.');
  for (const error of status.lastErrors) lines.push(`  ${new Date(error.at).toISOString()}  ${error.source.padEnd(8)} ${error.message}`);
  return `${lines.join('\n')}\n`;
}

/** `nexus plugins list --live`: the running gateway's plugin states, which `plugins list` (manifests only) cannot know. */
export async function pluginsListLive(io: CliIo, flags: CredentialFlags): Promise<number> {
  const status = await askGateway(io, flags);
  if (flags.json) {
    io.stdout(`${JSON.stringify(status.plugins, null, 2)}\n`);
    return EXIT.ok;
  }
  io.stdout(`Live plugin states of pid ${status.pid}:\n`);
  io.stdout(
    table(
      ['ID', 'VERSION', 'ORIGIN', 'ENABLED', 'STATE', 'WHY'],
      status.plugins.map((p) => [p.id, p.version ?? '-', p.origin, p.enabled ? 'yes' : 'no', p.state, p.diagnostics.filter((d) => d.level === 'error').map((d) => d.message).join('; ')]),
    ),
  );
  return EXIT.ok;
}

/**
 * `nexus stop`: SIGTERM to the gateway in the pid file, then waits until its process is gone (it
 * drains turns in flight first, within `server.drain_timeout`). Exit 3 when nothing runs, 1 when
 * it is still running after `timeoutMs`.
 */
export async function stopCommand(io: CliIo, options: { readonly timeoutMs?: number; readonly pollMs?: number } = {}): Promise<number> {
  const home = defaultHome(io.env);
  const running = readRunningGateway(home);
  if (!running) throw new CliExit(EXIT.notRunning, `no running Nexus found (no live pid in ${gatewayPidFile(home)}); nothing to stop`);
  try {
    process.kill(running.pid, 'SIGTERM');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') {
      io.stdout(`Nexus (pid ${running.pid}) had already stopped.\n`);
      return EXIT.ok;
    }
    throw new CliExit(EXIT.problems, `cannot signal pid ${running.pid} (${code}): it runs as another user; stop it as that user`);
  }
  io.stdout(`Sent SIGTERM to Nexus (pid ${running.pid}); waiting for it to drain and exit…\n`);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(running.pid)) {
    if (Date.now() >= deadline) throw new CliExit(EXIT.problems, `pid ${running.pid} is still running ${formatAge(timeoutMs)} after SIGTERM; see its log, then \`kill -KILL ${running.pid}\` if it is stuck`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
  }
  io.stdout(`Stopped.\n`);
  return EXIT.ok;
}

