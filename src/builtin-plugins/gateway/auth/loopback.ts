import { BlockList, isIP } from 'node:net';

/**
 * Whether binding to `host` keeps the server reachable from this machine only. Host names other
 * than `localhost` count as reachable from outside: they may resolve to any interface.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === 'localhost') return true;
  const family = isIP(bare);
  if (family === 0) return false;
  const loopback = new BlockList();
  loopback.addSubnet('127.0.0.0', 8, 'ipv4');
  loopback.addAddress('::1', 'ipv6');
  loopback.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');
  return loopback.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}
