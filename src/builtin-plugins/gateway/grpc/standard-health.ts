import { status as GrpcStatus, type sendUnaryData, type Server, type ServerUnaryCall, type ServerWritableStream } from '@grpc/grpc-js';
import {
  HealthCheckResponse_ServingStatus as Wire,
  HealthService,
  type HealthCheckRequest,
  type HealthCheckResponse,
  type HealthListRequest,
  type HealthListResponse,
} from '../generated/grpc/health/v1/health.js';
import { checkedRequests } from './request-decoding.js';
import type { ServingState, ServingStatus } from './serving-state.js';

/** The standard service's own cap on `List` (grpc-health-check uses the same). */
const LIST_LIMIT = 100;

const toWire = (status: ServingStatus): Wire => (status === 'SERVING' ? Wire.SERVING : Wire.NOT_SERVING);

/**
 * The standard `grpc.health.v1.Health` service for probes that know nothing of our API
 * (grpc_health_probe, Kubernetes, load balancers). The empty service name and each of ours follow
 * the gateway's serving state; other names are unknown (Check: NOT_FOUND, Watch: SERVICE_UNKNOWN,
 * as the protocol says). Served with the generated types, not grpc-health-check, which parses its
 * .proto file with protobufjs on import: about 0.1 s of every cold start. Watch streams end when
 * the server closes, so a graceful shutdown does not wait on probes that never hang up.
 */
export function addStandardHealth(server: Server, state: ServingState, serviceNames: readonly string[]): void {
  const known = new Set(['', ...serviceNames]);
  server.addService(checkedRequests(HealthService, { strictUtf8: true }), {
    check(call: ServerUnaryCall<HealthCheckRequest, HealthCheckResponse>, callback: sendUnaryData<HealthCheckResponse>) {
      const name = call.request.service;
      if (known.has(name)) callback(null, { status: toWire(state.status) });
      else callback({ code: GrpcStatus.NOT_FOUND, details: `health status unknown for service "${name}"; known: ${[...known].map((n) => `"${n}"`).join(', ')}` });
    },
    watch(call: ServerWritableStream<HealthCheckRequest, HealthCheckResponse>) {
      // An unknown name gets SERVICE_UNKNOWN and, as the protocol says, an open stream (the
      // service could become known later; ours never do, so nothing more is sent on it).
      const isKnown = known.has(call.request.service);
      call.write({ status: isKnown ? toWire(state.status) : Wire.SERVICE_UNKNOWN });
      const stop = state.watch(
        (status) => {
          if (isKnown) call.write({ status: toWire(status) });
        },
        () => call.end(),
      );
      call.on('cancelled', stop);
    },
    list(_call: ServerUnaryCall<HealthListRequest, HealthListResponse>, callback: sendUnaryData<HealthListResponse>) {
      if (known.size > LIST_LIMIT) {
        callback({ code: GrpcStatus.RESOURCE_EXHAUSTED, details: `more than ${LIST_LIMIT} services to list` });
        return;
      }
      const status = toWire(state.status);
      callback(null, { statuses: Object.fromEntries([...known].map((name) => [name, { status }])) });
    },
  });
}
