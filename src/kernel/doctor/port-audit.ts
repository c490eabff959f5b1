import { createServer } from 'node:net';
import type { DoctorReportFinding } from './doctor-result.js';

export interface ServerSettings {
  readonly host?: string;
  readonly grpc_port?: number;
  readonly http_port?: number;
}

// metrics_port is ignored (/metrics is served on http_port), so nothing listens on it.
const PORT_KEYS = ['grpc_port', 'http_port'] as const;

type ListenOutcome = 'free' | string;

/**
 * Whether `serve` could listen on each configured port: tries 127.0.0.1 and the configured host.
 * A port in use is a warning (it may be a Nexus that is already running), not a failure.
 */
export async function auditPorts(server: ServerSettings | undefined, signal: AbortSignal): Promise<DoctorReportFinding[]> {
  if (!server || typeof server !== 'object') {
    return [{ level: 'info', message: 'no server section is in effect, so there are no ports to check' }];
  }
  const host = typeof server.host === 'string' && server.host !== '' ? server.host : '127.0.0.1';
  const hosts = [...new Set(['127.0.0.1', host])];
  const findings: DoctorReportFinding[] = [];
  const seen = new Map<number, string>();

  for (const key of PORT_KEYS) {
    const port = server[key];
    if (typeof port !== 'number' || !Number.isInteger(port)) continue;
    if (port === 0) {
      findings.push({ level: 'info', message: `server.${key} is 0: a free port is picked at start` });
      continue;
    }
    const clash = seen.get(port);
    if (clash) {
      findings.push({
        level: 'error',
        code: 'audit.port-shared',
        message: `server.${key} and server.${clash} are both ${port}; only one listener can have it`,
        hint: `give server.${key} a port of its own`,
      });
      continue;
    }
    seen.set(port, key);

    const problems: DoctorReportFinding[] = [];
    for (const address of hosts) {
      if (signal.aborted) return findings;
      const outcome = await tryListen(address, port);
      if (outcome !== 'free') problems.push(listenProblem(key, port, address, outcome));
    }
    findings.push(...(problems.length > 0 ? problems : [{ level: 'info' as const, message: `server.${key} ${port} is free on ${hosts.join(' and ')}` }]));
  }
  return findings;
}

function listenProblem(key: string, port: number, address: string, code: string): DoctorReportFinding {
  const base = { level: 'warning' as const, code: 'audit.port-unavailable' };
  if (code === 'EADDRINUSE') {
    return {
      ...base,
      message: `server.${key} ${port} is in use on ${address}`,
      hint: `another process listens there (a running Nexus, perhaps: \`ss -ltnp 'sport = :${port}'\` or \`lsof -i :${port}\` shows which); stop it or change server.${key}`,
    };
  }
  if (code === 'EACCES') {
    return { ...base, message: `not allowed to listen on ${address}:${port} (server.${key})`, hint: 'ports below 1024 need privileges; pick a higher port' };
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return { ...base, message: `server.host ${address} is not an address of this machine (${code})`, hint: 'use 127.0.0.1, 0.0.0.0 or an address this machine has' };
  }
  return { ...base, message: `cannot listen on ${address}:${port} for server.${key}: ${code}` };
}

/** Listens and closes at once; resolves with 'free' or the error code. */
export function tryListen(host: string, port: number): Promise<ListenOutcome> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve('free')));
  });
}
