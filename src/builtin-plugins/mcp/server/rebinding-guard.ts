import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

export interface RebindingSettings {
  readonly allowedOrigins: readonly string[];
  readonly allowedHosts: readonly string[];
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && (address.startsWith('127.') || address === '::1' || address === '::ffff:127.0.0.1' || address.startsWith('::ffff:127.'));
}

function hostnameOf(host: string): string {
  // `[::1]:8080` → `[::1]`; `localhost:8080` → `localhost`.
  return (host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!).toLowerCase();
}

/**
 * DNS-rebinding protection, as the MCP spec asks of servers (validate Origin, and Host on local
 * servers). A page on evil.example whose name resolves to 127.0.0.1 sends `Host: evil.example`
 * and `Origin: http://evil.example`; both are refused here before auth or MCP run:
 * - on a loopback socket, the Host must be a loopback name or listed in `allowed_hosts` (a
 *   reverse proxy on the same machine that keeps its own Host header);
 * - an Origin must be listed in `allowed_origins`, or be the same origin as a Host that passed.
 * Clients that are not browsers send no Origin and are unaffected. Returns why a request is
 * refused, or `undefined`.
 */
export function rebindingProblem(req: IncomingMessage, settings: RebindingSettings): string | undefined {
  return rebindingProblemOf(req.headers, isLoopbackAddress(req.socket.localAddress), settings);
}

/** The same check, for a caller that has the headers and knows whether the socket is loopback. */
export function rebindingProblemOf(headers: IncomingHttpHeaders, local: boolean, settings: RebindingSettings): string | undefined {
  const host = headers.host ?? '';
  const hostTrusted = !local || LOOPBACK_NAMES.has(hostnameOf(host)) || settings.allowedHosts.includes(host) || settings.allowedHosts.includes(hostnameOf(host));
  if (!hostTrusted) return `the Host ${JSON.stringify(host)} is not a name of this server; if a proxy on this machine forwards it, add it to mcp.server.allowed_hosts`;
  const origin = headers.origin;
  if (origin === undefined || settings.allowedOrigins.includes(origin)) return undefined;
  let sameOrigin = false;
  try {
    sameOrigin = new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    // Not a URL ("null" from a sandboxed page): not same-origin.
  }
  return sameOrigin ? undefined : `requests from the origin ${origin} are not allowed; add it to mcp.server.allowed_origins if it should be`;
}
