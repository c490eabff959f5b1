import {
  ChannelHealths,
  HttpError,
  type AdminStatus,
  type ChannelStatus,
  type Clock,
  type ContributionRegistry,
  type HostStatus,
  type HttpRoute,
  type HttpServer,
  type Logger,
} from '@nexus/plugin-sdk';
import { authorize } from '../auth/access-policy.js';
import { GrpcStatusError } from '../grpc/status-error.js';
import { formatAddress } from '../grpc/grpc-server.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import type { RecentErrors } from './recent-errors.js';

export interface AdminStatusDeps {
  readonly runtime: GatewayRuntime;
  readonly errors: RecentErrors;
  readonly host: () => Promise<HostStatus>;
  readonly http: () => Promise<HttpServer>;
  readonly contributions: ContributionRegistry;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * `GET /admin/status`, what `nexus status` and `nexus channels status` print. The HTTP server
 * checks the credential (`token` in the manifest); whether the caller may see this is asked of
 * `authorize`, the one place the gateway decides who may do what: admins only.
 */
export function adminStatusRoute(deps: AdminStatusDeps): HttpRoute {
  return {
    async handle(request) {
      if (request.subpath !== '') throw new HttpError(404, 'not_found', `no route serves ${request.path}`);
      if (request.method !== 'GET') throw new HttpError(405, 'method_not_allowed', '/admin/status answers GET only', { allow: 'GET' });
      if (!request.principal) throw new HttpError(401, 'unauthenticated', 'a credential is needed');
      try {
        authorize(request.principal, 'gateway.status', {});
      } catch (error) {
        if (error instanceof GrpcStatusError) throw new HttpError(403, 'permission_denied', error.message);
        throw error;
      }
      const status = await collect(deps);
      return { status: 200, headers: { 'cache-control': 'no-store' }, json: status };
    },
  };
}

async function collect(deps: AdminStatusDeps): Promise<AdminStatus> {
  const host = await deps.host();
  const now = deps.clock.now();
  const listeners: { name: string; address: string }[] = [];
  const grpc = deps.runtime.address();
  if (grpc) listeners.push({ name: 'grpc', address: formatAddress(grpc) });
  const http = (await deps.http()).address();
  if (http) listeners.push({ name: 'http', address: http.url });
  return {
    version: host.version,
    pid: host.pid,
    startedAt: host.startedAt,
    uptimeMs: Math.max(0, now - host.startedAt),
    serving: deps.runtime.status(),
    plugins: host.plugins(),
    listeners,
    channels: await channelStatuses(deps),
    turnsInFlight: deps.runtime.turnsInFlight(),
    lastErrors: deps.errors.list(),
  };
}

/** Each channel's own health report; one that throws is reported as such, not left out. */
async function channelStatuses(deps: AdminStatusDeps): Promise<Record<string, ChannelStatus>> {
  const statuses: Record<string, ChannelStatus> = {};
  for (const { name, value } of await deps.contributions.getAll(ChannelHealths)) {
    try {
      statuses[name] = value.status();
    } catch (error) {
      deps.logger.warn(`channel ${name} failed to report its status`, { channel: name, error: (error as Error).message });
      statuses[name] = { connected: false, error: `status failed: ${(error as Error).message}` };
    }
  }
  return statuses;
}
