import type { ChannelAccountStatus, ChannelStatus } from '../contracts/index.js';

/** `3s`, `4m 5s`, `2h 3m`, `5d 1h`: an age or an uptime, to the two largest units. */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const units: [number, string][] = [
    [Math.floor(seconds / 86_400), 'd'],
    [Math.floor((seconds % 86_400) / 3_600), 'h'],
    [Math.floor((seconds % 3_600) / 60), 'm'],
    [seconds % 60, 's'],
  ];
  const first = units.findIndex(([value]) => value > 0);
  if (first < 0) return '0s';
  return units
    .slice(first, first + 2)
    .filter(([value], i) => i === 0 || value > 0)
    .map(([value, unit]) => `${value}${unit}`)
    .join(' ');
}

/** One account's line: `main  connected  last inbound 12s ago  received 3  sent 3  failed 0  refused 1`. */
export function describeAccount(name: string, account: ChannelAccountStatus, now: number): string {
  const inbound = account.lastInboundAt === undefined ? 'nothing received yet' : `last inbound ${formatAge(now - account.lastInboundAt)} ago`;
  const error = account.error ? `  error: ${account.error}` : '';
  return `${name}  ${account.state}${account.connected ? '' : ' (not connected)'}  ${inbound}  received ${account.received}  sent ${account.sent}  failed ${account.failed}  refused ${account.refused}${error}`;
}

/** A channel's lines: its own state, then one line per account, indented. */
export function describeChannel(name: string, status: ChannelStatus, now: number): string[] {
  const activity = status.lastActivityAt === undefined ? '' : `, last activity ${formatAge(now - status.lastActivityAt)} ago`;
  const lines = [`${name}  ${status.connected ? 'connected' : 'not connected'}${activity}${status.error ? `  error: ${status.error}` : ''}`];
  for (const [account, state] of Object.entries(status.accounts ?? {}).sort(([a], [b]) => a.localeCompare(b))) lines.push(`  ${describeAccount(account, state, now)}`);
  return lines;
}
