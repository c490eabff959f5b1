import { join } from 'node:path';
import { credentials, makeGenericClientConstructor, Metadata, type CallOptions, type Client, type ClientReadableStream, type ServiceDefinition, type ServiceError } from '@grpc/grpc-js';
import { service as standardHealthService } from 'grpc-health-check';
import { afterEach, expect } from 'vitest';
import { ApiKeyStoreToken, TokenIssuerToken } from '@nexus/plugin-sdk';
import { AgentServiceClient } from '../../../src/builtin-plugins/gateway/generated/nexus/v1/agents.js';
import { ChannelServiceClient } from '../../../src/builtin-plugins/gateway/generated/nexus/v1/channels.js';
import { HealthServiceClient } from '../../../src/builtin-plugins/gateway/generated/nexus/v1/health.js';
import { SessionServiceClient } from '../../../src/builtin-plugins/gateway/generated/nexus/v1/sessions.js';
import { GatewayServerToken } from '../../../src/builtin-plugins/gateway/index.js';
import { createTestKernel, type TestKernel } from '../../../src/kernel/testing/index.js';
import { runCommandLine, type CommandRun } from '../../helpers/command-line.js';

const builtins = join(import.meta.dirname, '../../../src/builtin-plugins');
export const gatewayDir = join(builtins, 'gateway');
export const storageDir = join(builtins, 'storage');
export const memoryStorageDir = join(builtins, 'storage-memory');
export const testChannelsDir = join(import.meta.dirname, 'fixtures/test-channels');

/** A JWT secret long enough for the `auth.jwt_secret` schema. */
export const JWT_SECRET = 'test-secret-0123456789-abcdefghijklmnop';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

export interface GatewayOptions {
  /** Top-level config sections; `server.grpc_port` defaults to 0 and storage to memory. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Leave the storage plugins out, as if no storage were enabled. */
  readonly withoutStorage?: boolean;
  /** Do not emit `kernel.ready`, so the gateway stays NOT_SERVING. */
  readonly notReady?: boolean;
  /** More plugin folders to load (the agent runtime and a provider, say). */
  readonly with?: readonly string[];
}

export interface RunningGateway {
  readonly kernel: TestKernel;
  /** `127.0.0.1:<port>` */
  readonly target: string;
  readonly port: number;
  readonly sessions: SessionServiceClient;
  readonly agents: AgentServiceClient;
  readonly channels: ChannelServiceClient;
  readonly health: HealthServiceClient;
  /** A client for the standard grpc.health.v1.Health service. */
  readonly standardHealth: StandardHealthClient;
}

/** The standard health service's client, as grpc-js builds it from the service definition. */
export interface StandardHealthClient extends Client {
  check(request: { service: string }, callback: (error: ServiceError | null, response: { status: string }) => void): void;
  watch(request: { service: string }): ClientReadableStream<{ status: string }>;
}

/** A kernel holding the gateway (and, by default, in-memory storage and the test channels). */
export function gatewayKernel(options: GatewayOptions = {}): TestKernel {
  const settings = options.settings ?? {};
  const kernel = createTestKernel({
    plugin: gatewayDir,
    with: [...(options.withoutStorage ? [testChannelsDir] : [storageDir, memoryStorageDir, testChannelsDir]), ...(options.with ?? [])],
    settings: {
      ...(options.withoutStorage ? {} : { database: { url: 'memory:' } }),
      ...settings,
      server: { grpc_port: 0, ...(settings.server as object | undefined) },
    },
  });
  cleanups.push(() => kernel.stop());
  return kernel;
}

/** Starts the gateway as `nexus serve` would (activate, then `kernel.ready`) and connects clients. */
export async function startGateway(options: GatewayOptions = {}): Promise<RunningGateway> {
  const kernel = gatewayKernel(options);
  await kernel.activate('onStartup');
  if (!options.notReady) await kernel.hooks.emit('kernel.ready', { activePlugins: ['gateway'], durationMs: 1 });
  const address = (await kernel.services.get(GatewayServerToken)).address();
  if (!address) throw new Error(`the gateway is not listening: ${kernel.logs.filter((l) => l.level === 'error').map((l) => l.msg).join('; ')}`);
  return { kernel, port: address.port, ...connect(`127.0.0.1:${address.port}`) };
}

/** Clients for every service at `target`, closed after the test. */
export function connect(target: string): Omit<RunningGateway, 'kernel' | 'port'> {
  const insecure = credentials.createInsecure();
  const StandardHealth = makeGenericClientConstructor(standardHealthService as unknown as ServiceDefinition, 'Health');
  const clients = {
    target,
    sessions: new SessionServiceClient(target, insecure),
    agents: new AgentServiceClient(target, insecure),
    channels: new ChannelServiceClient(target, insecure),
    health: new HealthServiceClient(target, insecure),
    standardHealth: new StandardHealth(target, insecure) as unknown as StandardHealthClient,
  };
  cleanups.push(() => {
    for (const client of [clients.sessions, clients.agents, clients.channels, clients.health, clients.standardHealth]) client.close();
  });
  return clients;
}

/** Request metadata carrying a bearer token and/or an API key. */
export function creds(options: { readonly bearer?: string; readonly apiKey?: string; readonly authorization?: string } = {}): Metadata {
  const metadata = new Metadata();
  if (options.authorization !== undefined) metadata.set('authorization', options.authorization);
  if (options.bearer !== undefined) metadata.set('authorization', `Bearer ${options.bearer}`);
  if (options.apiKey !== undefined) metadata.set('x-api-key', options.apiKey);
  return metadata;
}

/** Request and response types of a generated client's unary method (its last, fullest overload). */
type Unary<F> = F extends (request: infer Req, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: infer Res) => void) => unknown
  ? { readonly request: Req; readonly response: Res }
  : never;

/** Calls a unary method of a generated client: `call(gw.sessions, 'getSession', { id })`. */
export function call<C extends Client, K extends keyof C & string>(client: C, method: K, request: Unary<C[K]>['request'], metadata: Metadata = new Metadata()): Promise<Unary<C[K]>['response']> {
  return new Promise((resolve, reject) => {
    const fn = client[method] as (...args: unknown[]) => unknown;
    fn.call(client, request, metadata, {}, (error: ServiceError | null, response: Unary<C[K]>['response']) => (error ? reject(error) : resolve(response)));
  });
}

/** The call's gRPC failure; fails the test if it succeeded. */
export async function failure(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as ServiceError;
  }
  expect.unreachable('the call was expected to fail');
  throw new Error('unreachable');
}

/** Runs `nexus auth …` as the CLI does: parsed against the gateway's manifest, then the contributed command. */
export async function runAuth(kernel: TestKernel, argv: readonly string[]): Promise<CommandRun> {
  return runCommandLine(kernel, 'auth', argv);
}

/** Creates an API key with `nexus auth api-key create --json` and returns it. */
export async function createApiKey(kernel: TestKernel, name: string, user?: string): Promise<{ readonly id: string; readonly key: string }> {
  const run = await runAuth(kernel, ['api-key', 'create', '--name', name, ...(user ? ['--user', user] : []), '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { id: string; key: string };
}

/** Issues a JWT through the gateway's token issuer (needs `auth.jwt_secret`). */
export async function issueToken(kernel: TestKernel, userId: string, expiresIn?: string): Promise<string> {
  const issuer = await kernel.services.get(TokenIssuerToken);
  return (await issuer.issue(userId, expiresIn ? { expiresIn } : {})).token;
}

/** The API key store the gateway uses, for tests that arrange keys directly. */
export function apiKeyStore(kernel: TestKernel) {
  return kernel.services.get(ApiKeyStoreToken);
}

export type { CommandRun };
