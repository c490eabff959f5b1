import { request } from 'node:http';

/** Where the installed service answers /readyz: the config's HTTP port, on loopback when it listens on all addresses. */
export function readyzUrl(server: { readonly host?: string; readonly http_port?: number }): string {
  const host = server.host === undefined || server.host === '' || server.host === '0.0.0.0' || server.host === '::' ? '127.0.0.1' : server.host;
  const port = server.http_port ?? 8080;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}/readyz`;
}

export type Readiness = { readonly ready: true; readonly status: number } | { readonly ready: false; readonly last: string };

/**
 * Asks `url` until it answers 200 or the time is up. A 401 or 403 also counts: the server is up
 * and keeps readiness behind auth (`auth.public_health: false`).
 */
export async function waitReady(url: string, timeoutMs: number, intervalMs = 500): Promise<Readiness> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    const outcome = await ask(url, Math.min(2_000, Math.max(100, deadline - Date.now())));
    if (typeof outcome === 'number' && (outcome === 200 || outcome === 401 || outcome === 403)) return { ready: true, status: outcome };
    last = typeof outcome === 'number' ? `HTTP ${outcome}` : outcome;
    if (Date.now() + intervalMs > deadline) return { ready: false, last };
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function ask(url: string, timeoutMs: number): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}
