import { HttpError, type HttpRequest, type HttpResponse, type HttpRoute } from '@nexus/plugin-sdk';

/**
 * Where the process is in its life, as the kernel's hooks tell it: `starting` until
 * `kernel.ready`, `ready`, then `draining` from `kernel.stopping` on.
 */
export class Readiness {
  private phase: 'starting' | 'ready' | 'draining' = 'starting';

  get state(): 'starting' | 'ready' | 'draining' {
    return this.phase;
  }

  markReady(): void {
    if (this.phase === 'starting') this.phase = 'ready';
  }

  markDraining(): void {
    this.phase = 'draining';
  }
}

function onlyGet(request: HttpRequest): void {
  if (request.subpath !== '') throw new HttpError(404, 'not_found', `no route serves ${request.path}`);
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    throw new HttpError(405, 'method_not_allowed', `${request.path} answers GET and HEAD only`, { allow: 'GET, HEAD' });
  }
}

/** Liveness: answering at all is the signal. */
export function livenessRoute(): HttpRoute {
  return {
    async handle(request): Promise<HttpResponse> {
      onlyGet(request);
      return { status: 200, headers: { 'cache-control': 'no-store' }, json: { status: 'ok' } };
    },
  };
}

/** The gRPC API's state, or undefined when no gateway is enabled (this host serves HTTP only). */
export type GrpcState = () => Promise<'SERVING' | 'NOT_SERVING' | undefined>;

/**
 * Readiness: load balancers send traffic only while this answers 200. It reflects every listener:
 * this HTTP server (answering at all) and the gateway's gRPC API, which must be serving too; a
 * process whose gRPC port never opened, or is restarting, is not ready.
 */
export function readinessRoute(readiness: Readiness, grpc: GrpcState): HttpRoute {
  return {
    async handle(request): Promise<HttpResponse> {
      onlyGet(request);
      const phase = readiness.state;
      const grpcState = await grpc();
      const listeners = { http: 'serving', ...(grpcState !== undefined && { grpc: grpcState === 'SERVING' ? 'serving' : 'not_serving' }) };
      const headers = { 'cache-control': 'no-store' };
      if (phase === 'ready' && grpcState !== 'NOT_SERVING') return { status: 200, headers, json: { status: phase, listeners } };
      const status = phase === 'ready' ? 'not_serving' : phase;
      const message =
        phase === 'starting' ? 'startup has not finished' : phase === 'draining' ? 'the server is shutting down' : 'the gRPC API is not serving (it did not open, or it is restarting)';
      return { status: 503, headers, json: { status, listeners, error: { code: 'not_ready', message } } };
    },
  };
}
