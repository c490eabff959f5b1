import { createToken } from '../../contracts/index.js';
import type { ListenAddress } from './grpc/grpc-server.js';
import type { ServingStatus } from './grpc/serving-state.js';

/** The running gRPC server, as other plugins and tests see it. */
export interface GatewayServer {
  /** Where it listens (the real port when `server.grpc_port` is 0); undefined when not listening. */
  address(): ListenAddress | undefined;
  /** SERVING once startup completed, NOT_SERVING before that and while draining. */
  status(): ServingStatus;
}

export const GatewayServerToken = createToken<GatewayServer>('nexus.gateway.server');
