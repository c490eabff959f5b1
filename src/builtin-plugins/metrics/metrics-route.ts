import { HttpError, type HttpRoute } from '@nexus/plugin-sdk';
import type { NexusMetrics } from './nexus-metrics.js';

/**
 * `GET /metrics` in the Prometheus text format. It needs a credential once any is configured
 * (`token`): metrics name channels, tools and models, which is not for everyone to read.
 */
export function metricsRoute(metrics: NexusMetrics): HttpRoute {
  return {
    async handle(request) {
      if (request.subpath !== '') throw new HttpError(404, 'not_found', `no route serves ${request.path}`);
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        throw new HttpError(405, 'method_not_allowed', '/metrics answers GET and HEAD only', { allow: 'GET, HEAD' });
      }
      const { contentType, text } = await metrics.render();
      return { status: 200, headers: { 'content-type': contentType, 'cache-control': 'no-store' }, body: text };
    },
  };
}
