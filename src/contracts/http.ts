import type { IncomingMessage, ServerResponse } from 'node:http';
import { createToken } from './tokens.js';

/** Who may call a route: anyone, a bearer credential, or a request signature the route checks. */
export type HttpAuthPolicy = 'public' | 'token' | 'signature';

/**
 * Routes a plugin mounts under its declared prefix. There are no catch-all handlers: the server
 * dispatches only paths under a prefix some manifest declares.
 */
export interface HttpRoute {
  readonly prefix: string;
  readonly auth: HttpAuthPolicy;
  handle(request: IncomingMessage, response: ServerResponse, subpath: string): Promise<void>;
}

export const HttpRoutes = createToken<HttpRoute>('nexus.contrib.http-routes');
