import { createToken } from './tokens.js';

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** The gateway's gRPC server, as `nexus serve`, other plugins and tests see it. */
export interface GatewayServer {
  /** Where it listens (the real port when `server.grpc_port` is 0); undefined when not listening. */
  address(): ListenAddress | undefined;
  /** SERVING once startup completed, NOT_SERVING before that and while draining. */
  status(): 'SERVING' | 'NOT_SERVING';
  /**
   * Settles once the server has tried to open (it opens when startup completes): resolves with
   * the address, or rejects saying why it could not (port taken, bind policy, pending migrations).
   */
  opened(): Promise<ListenAddress>;
}

export const GatewayServerToken = createToken<GatewayServer>('nexus.gateway.server');
