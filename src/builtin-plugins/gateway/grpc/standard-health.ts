import type { Server, ServerWritableStream, UntypedServiceImplementation } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import type { ServingState } from './serving-state.js';

/**
 * The standard `grpc.health.v1.Health` service for probes that know nothing of our API. The empty
 * service name and each of ours follow the gateway's serving state. Watch streams end when the
 * server closes, so a graceful shutdown does not wait on probes that never hang up.
 */
export function addStandardHealth(server: Server, state: ServingState, serviceNames: readonly string[]): void {
  const names = ['', ...serviceNames];
  const health = new HealthImplementation(Object.fromEntries(names.map((name) => [name, state.status])));
  state.watch((status) => {
    for (const name of names) health.setStatus(name, status);
  });
  health.addToServer({
    addService: (definition, implementation) => server.addService(definition as never, withEndingWatches(implementation as UntypedServiceImplementation, state)),
  });
}

function withEndingWatches(implementation: UntypedServiceImplementation, state: ServingState): UntypedServiceImplementation {
  const watch = implementation.watch as (call: ServerWritableStream<unknown, unknown>) => void;
  return {
    ...implementation,
    watch: (call: ServerWritableStream<unknown, unknown>) => {
      watch(call);
      const stop = state.watch(() => undefined, () => call.end());
      call.on('cancelled', stop);
    },
  };
}
