import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Logger } from '@nexus/plugin-sdk';
import type { CallAuth } from './call-auth.js';
import { addReflection } from './reflection.js';
import type { ServingState } from './serving-state.js';
import { addStandardHealth } from './standard-health.js';

/** One service to serve: its generated definition, its fully qualified name and its handlers. */
export interface ServiceRegistration {
  readonly name: string;
  readonly definition: ServiceDefinition;
  readonly implementation: UntypedServiceImplementation;
}

export interface GrpcServerOptions {
  readonly host: string;
  readonly port: number;
  readonly maxMessageBytes: number;
  readonly auth: CallAuth;
  readonly state: ServingState;
  readonly services: readonly ServiceRegistration[];
  readonly logger: Logger;
}

/** Where the server listens. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * The gRPC server: our services, the standard health service and reflection, behind the auth
 * interceptor, with the receive size limit (larger messages get RESOURCE_EXHAUSTED).
 */
export class GrpcServer {
  private readonly server: Server;
  private bound: ListenAddress | undefined;

  constructor(private readonly options: GrpcServerOptions) {
    this.server = new Server({
      interceptors: [options.auth.interceptor],
      'grpc.max_receive_message_length': options.maxMessageBytes,
    });
    for (const service of options.services) this.server.addService(service.definition, service.implementation);
    addStandardHealth(this.server, options.state, options.services.map((s) => s.name));
    addReflection(this.server);
  }

  address(): ListenAddress | undefined {
    return this.bound;
  }

  async listen(): Promise<ListenAddress> {
    const { host, port } = this.options;
    const target = formatAddress({ host, port });
    const boundPort = await new Promise<number>((resolve, reject) => {
      this.server.bindAsync(target, ServerCredentials.createInsecure(), (error, actual) => {
        if (error) {
          this.server.forceShutdown();
          reject(new Error(`cannot listen on ${target}: ${error.message}; pick another server.grpc_port (0 picks a free one) or stop what uses it`));
        }
        else resolve(actual);
      });
    });
    this.bound = { host, port: boundPort };
    return this.bound;
  }

  /**
   * Lets calls in flight finish for up to `graceMs`, then cuts the rest off. Health watchers are
   * told NOT_SERVING and hung up on first, so they do not hold the shutdown open.
   */
  async close(graceMs: number): Promise<void> {
    this.options.state.close();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, graceMs);
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.bound = undefined;
  }
}

/** `host:port`, with IPv6 hosts in brackets. */
export function formatAddress({ host, port }: ListenAddress): string {
  return `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
}
