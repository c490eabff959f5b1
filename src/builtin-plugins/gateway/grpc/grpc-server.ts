import { logVerbosity, Server, ServerCredentials, setLogVerbosity, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Logger } from '@nexus/plugin-sdk';
import type { CallAuth } from './call-auth.js';
import { addReflection } from './reflection.js';
import { checkedRequests, rejectMalformedRequests } from './request-decoding.js';
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
    silenceGrpcLogs(process.env);
    this.server = new Server({
      // Authentication first: an unauthenticated caller learns nothing, not even that its request is malformed.
      interceptors: [options.auth.interceptor, rejectMalformedRequests],
      'grpc.max_receive_message_length': options.maxMessageBytes,
    });
    for (const service of options.services) this.server.addService(checkedRequests(service.definition, { strictUtf8: true }), service.implementation);
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
          reject(listenError(error, target));
        } else resolve(actual);
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

/**
 * Why binding failed, in the words the HTTP server uses for the same problems. grpc-js only
 * wraps the socket errors in its own sentence ("No address added out of total 1 resolved
 * errors: [listen EADDRINUSE: …]"), so the cause is read from that text.
 */
function listenError(error: Error, target: string): Error {
  const text = error.message;
  if (text.includes('EADDRINUSE')) return new Error(`cannot listen on ${target}: the address is already in use; set server.grpc_port to a free port (0 picks one) or stop the other process`);
  if (text.includes('EACCES')) return new Error(`cannot listen on ${target}: permission denied; ports below 1024 need privileges, so pick a higher server.grpc_port`);
  if (text.includes('EADDRNOTAVAIL') || text.includes('ENOTFOUND')) return new Error(`cannot listen on ${target}: the host is not an address of this machine; check server.host`);
  return new Error(`cannot listen on ${target}: ${text}; pick another server.grpc_port (0 picks a free one) or stop what uses it`);
}

/**
 * grpc-js writes its own log lines to stderr (for a port conflict, "E No address added out of
 * total 1 resolved"), which would repeat, in its jargon, what the gateway reports once in its
 * own words. Its logger is silenced unless the operator asked for it with GRPC_VERBOSITY.
 */
export function silenceGrpcLogs(env: NodeJS.ProcessEnv): void {
  if (env.GRPC_VERBOSITY === undefined || env.GRPC_VERBOSITY === '') setLogVerbosity(logVerbosity.NONE);
}

/** `host:port`, with IPv6 hosts in brackets. */
export function formatAddress({ host, port }: ListenAddress): string {
  return `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
}
