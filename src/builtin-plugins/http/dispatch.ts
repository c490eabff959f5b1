import type { IncomingMessage } from 'node:http';
import {
  HttpError,
  HttpRoutes,
  type ContributionRegistry,
  type Declared,
  type HttpAuthPolicy,
  type HttpResponse,
  type HttpRoute,
  type Logger,
  type ServiceRegistry,
} from '@nexus/plugin-sdk';
import { readBody } from './request-body.js';
import { authenticate } from './route-auth.js';
import { matchRoute } from './route-match.js';
import { errorResponse } from './send-response.js';

export interface DispatchDeps {
  readonly contributions: ContributionRegistry;
  readonly services: ServiceRegistry;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  readonly allowUnauthenticated: boolean;
  /** The server plugin's own routes (`/healthz`, `/readyz`), which need a credential when `auth.public_health` is false. */
  readonly ownRoutes: { readonly pluginId: string; readonly needToken: boolean };
}

const POLICIES = new Set(['public', 'token', 'signature']);

/**
 * Finds the route for a request, checks the caller against the auth policy its manifest declares
 * (before the route's plugin is loaded: a refused caller loads nothing), reads the body within the
 * limit and lets the route answer, activating its plugin on first use.
 */
export async function dispatch(request: IncomingMessage, deps: DispatchDeps, signal: AbortSignal): Promise<HttpResponse> {
  const url = parseTarget(request.url);
  const match = matchRoute(url.pathname, deps.contributions.names(HttpRoutes));
  if (!match) throw new HttpError(404, 'not_found', `no route serves ${url.pathname}`);

  const declared = deps.contributions.declared(HttpRoutes, match.name);
  // Fail closed: a route whose declaration says nothing this server knows is not served.
  if (!declared || !POLICIES.has(declared.auth)) {
    deps.logger.error('route is misconfigured: its manifest entry needs an auth policy (public, token or signature)', { route: match.name, auth: declared?.auth });
    throw new HttpError(500, 'route_misconfigured', `the route ${match.name} is misconfigured; the server log has details`);
  }
  const principal =
    policyOf(declared, deps) === 'token'
      ? await authenticate(deps.services, { headers: request.headers, remoteAddress: request.socket.remoteAddress, allowUnauthenticated: deps.allowUnauthenticated })
      : undefined;
  const route = await resolveRoute(deps, match.name);
  if (typeof route.handle !== 'function') {
    deps.logger.error('route is misconfigured: it needs a handle() method', { route: match.name, pluginId: declared.pluginId });
    throw new HttpError(500, 'route_misconfigured', `the route ${match.name} is misconfigured; the server log has details`);
  }
  const body = await readBody(request, deps.maxBodyBytes, signal);
  const answer = await route.handle({
    method: request.method ?? 'GET',
    path: url.pathname,
    subpath: match.subpath,
    query: url.searchParams,
    headers: request.headers,
    body,
    principal,
    remoteAddress: request.socket.remoteAddress,
    signal,
  });
  if (typeof answer !== 'object' || answer === null || !Number.isInteger(answer.status) || answer.status < 200 || answer.status > 599) {
    deps.logger.error('route answered something that is not a response ({ status: 200-599, headers?, json | body })', { route: match.name, path: url.pathname });
    throw new HttpError(500, 'route_misconfigured', `the route ${match.name} gave no valid response; the server log has details`);
  }
  return answer;
}

/** The manifest's policy; the server's own public routes become `token` when the operator turned public health off. */
function policyOf(declared: Declared<HttpRoute>, deps: DispatchDeps): HttpAuthPolicy {
  return declared.auth === 'public' && deps.ownRoutes.needToken && declared.pluginId === deps.ownRoutes.pluginId ? 'token' : declared.auth;
}

/** An HttpError as the caller should see it; anything else is a 500 whose details go to the log. */
export function toErrorResponse(error: unknown, logger: Logger, where: string): HttpResponse {
  if (isHttpError(error)) return errorResponse(error.status, error.code, error.message, error.headers);
  logger.error(`request failed: ${(error as Error)?.message ?? String(error)}`, { path: where, err: error });
  return errorResponse(500, 'internal', `the server failed to handle ${where}; the server log has details`);
}

/** By shape, not instanceof: a route may throw an HttpError from another copy of the contracts. */
function isHttpError(error: unknown): error is HttpError {
  if (error instanceof HttpError) return true;
  const e = error as Partial<HttpError> | undefined;
  return e?.name === 'HttpError' && typeof e.status === 'number' && e.status >= 400 && e.status <= 599 && typeof e.code === 'string';
}

async function resolveRoute(deps: DispatchDeps, name: string): Promise<HttpRoute> {
  try {
    return await deps.contributions.get(HttpRoutes, name);
  } catch (error) {
    deps.logger.error(`the plugin serving ${name} is unavailable: ${(error as Error).message}`, { route: name });
    throw new HttpError(503, 'route_unavailable', `the plugin serving ${name} is unavailable; \`nexus plugins list\` shows why`, { 'retry-after': '30' });
  }
}

function parseTarget(target: string | undefined): URL {
  // Only origin-form targets (`/path?query`); absolute and authority forms are for proxies.
  if (!target?.startsWith('/')) throw new HttpError(400, 'bad_request', 'the request target must be a path starting with /');
  try {
    // Concatenated, not resolved: `//host/x` must stay a path, not become another origin.
    return new URL(`http://localhost${target}`);
  } catch {
    throw new HttpError(400, 'bad_request', 'the request target is not a valid path');
  }
}
