import { HttpError, type HttpAuthPolicy, type HttpRequest, type HttpResponse, type HttpRoute } from '@nexus/plugin-sdk';

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
export function livenessRoute(auth: HttpAuthPolicy): HttpRoute {
  return {
    prefix: '/healthz',
    auth,
    async handle(request): Promise<HttpResponse> {
      onlyGet(request);
      return { status: 200, headers: { 'cache-control': 'no-store' }, json: { status: 'ok' } };
    },
  };
}

/** Readiness: load balancers send traffic only while this answers 200. */
export function readinessRoute(auth: HttpAuthPolicy, readiness: Readiness): HttpRoute {
  return {
    prefix: '/readyz',
    auth,
    async handle(request): Promise<HttpResponse> {
      onlyGet(request);
      const status = readiness.state;
      if (status === 'ready') return { status: 200, headers: { 'cache-control': 'no-store' }, json: { status } };
      const message = status === 'starting' ? 'startup has not finished' : 'the server is shutting down';
      return { status: 503, headers: { 'cache-control': 'no-store' }, json: { status, error: { code: 'not_ready', message } } };
    },
  };
}
