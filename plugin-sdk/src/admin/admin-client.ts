import { ADMIN_STATUS_PATH, type AdminCredentials, type AdminStatus } from '../contracts/index.js';
import { gatewayPidFile, readRunningGateway, type RunningGateway } from './running-gateway.js';

/**
 * Why the running gateway could not be asked. `not-running`: no live pid file; `refused`: it
 * answered 401 or 403 (no credential, or not an admin's); `unreachable`: it did not answer;
 * `bad-answer`: it answered something else.
 */
export class GatewayQueryError extends Error {
  constructor(
    readonly code: 'not-running' | 'refused' | 'unreachable' | 'bad-answer',
    message: string,
  ) {
    super(message);
    this.name = 'GatewayQueryError';
  }
}

/** Credentials from the command line, else `$NEXUS_API_KEY` / `$NEXUS_TOKEN`: what every operator command presents. */
export function adminCredentials(options: { readonly apiKey?: string; readonly token?: string }, env: NodeJS.ProcessEnv = process.env): AdminCredentials {
  if (options.apiKey !== undefined) return { apiKey: options.apiKey };
  if (options.token !== undefined) return { token: options.token };
  if (env.NEXUS_API_KEY) return { apiKey: env.NEXUS_API_KEY };
  if (env.NEXUS_TOKEN) return { token: env.NEXUS_TOKEN };
  return {};
}

/**
 * Asks the gateway running from `home` (found through its pid file) for its live status, over
 * its admin HTTP route. Throws `GatewayQueryError` saying what is wrong and how to fix it.
 */
export async function fetchAdminStatus(home: string, credentials: AdminCredentials, signal?: AbortSignal): Promise<{ readonly gateway: RunningGateway; readonly status: AdminStatus }> {
  const gateway = readRunningGateway(home);
  if (!gateway) throw new GatewayQueryError('not-running', `no running Nexus found (no live pid in ${gatewayPidFile(home)}); start it with \`nexus serve\``);
  if (!gateway.http) throw new GatewayQueryError('unreachable', `the running Nexus (pid ${gateway.pid}) did not record its HTTP address in ${gatewayPidFile(home)}; restart it with this version (\`nexus stop\`, then \`nexus serve\`)`);
  const url = `${gateway.http}${ADMIN_STATUS_PATH}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (credentials.token !== undefined) headers.authorization = `Bearer ${credentials.token}`;
  else if (credentials.apiKey !== undefined) headers['x-api-key'] = credentials.apiKey;
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: signal ?? AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new GatewayQueryError('unreachable', `the running Nexus (pid ${gateway.pid}) did not answer at ${url}: ${describe(error)}`);
  }
  const text = await response.text();
  if (response.status === 401) {
    throw new GatewayQueryError('refused', `the gateway at ${gateway.http} wants a credential: pass --api-key with an admin API key (or set NEXUS_API_KEY), or --token with an admin JWT (NEXUS_TOKEN)`);
  }
  if (response.status === 403) {
    throw new GatewayQueryError('refused', `the gateway at ${gateway.http} refused: ${errorMessage(text) ?? 'forbidden'}; use an admin credential (\`nexus auth api-key create --admin\`)`);
  }
  if (response.status !== 200) throw new GatewayQueryError('bad-answer', `the gateway at ${url} answered ${response.status}: ${errorMessage(text) ?? text.slice(0, 200)}`);
  try {
    return { gateway, status: JSON.parse(text) as AdminStatus };
  } catch {
    throw new GatewayQueryError('bad-answer', `the gateway at ${url} answered with something that is not JSON`);
  }
}

function errorMessage(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    return typeof parsed.error?.message === 'string' ? parsed.error.message : undefined;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
