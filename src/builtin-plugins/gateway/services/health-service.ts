import type { Clock, Logger } from '@nexus/plugin-sdk';
import { HealthCheckResponse, HealthServiceService, ServingStatus, type HealthServiceServer } from '../generated/nexus/v1/health.js';
import type { ServiceRegistration } from '../grpc/grpc-server.js';
import type { ServingState, ServingStatus as State } from '../grpc/serving-state.js';
import { unary } from '../grpc/unary.js';

export interface HealthServiceDeps {
  readonly state: ServingState;
  readonly clock: Clock;
  /** Fully qualified names of the services this server runs. */
  readonly serviceNames: () => readonly string[];
  readonly logger: Logger;
}

const TO_PROTO: Readonly<Record<State, ServingStatus>> = {
  SERVING: ServingStatus.SERVING_STATUS_SERVING,
  NOT_SERVING: ServingStatus.SERVING_STATUS_NOT_SERVING,
};

/** nexus.v1.HealthService: the serving state with uptime; Watch pushes each change as it happens. */
export function healthService({ state, clock, serviceNames, logger }: HealthServiceDeps): ServiceRegistration {
  const response = (service: string) => {
    const known = service === '' || serviceNames().includes(service);
    return HealthCheckResponse.fromPartial({
      status: known ? TO_PROTO[state.status] : ServingStatus.SERVING_STATUS_SERVICE_UNKNOWN,
      metadata: { uptime_seconds: String(Math.max(0, Math.floor((clock.now() - state.startedAt) / 1000))) },
    });
  };

  const implementation: HealthServiceServer = {
    check: unary(logger, '/nexus.v1.HealthService/Check', async (request) => response(request.service)),

    watch: (call) => {
      const service = call.request.service;
      call.write(response(service));
      const stop = state.watch(
        () => call.write(response(service)),
        () => call.end(),
      );
      call.on('cancelled', stop);
      call.on('close', stop);
    },
  };
  return { name: 'nexus.v1.HealthService', definition: HealthServiceService, implementation };
}
