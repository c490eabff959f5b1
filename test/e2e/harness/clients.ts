import { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';
import { Client, credentials, makeGenericClientConstructor, type Metadata, type CallOptions, type ClientReadableStream, type ServiceDefinition, type ServiceError } from '@grpc/grpc-js';
import { service as standardHealthService } from 'grpc-health-check';
import { HealthServiceClient } from '../../../src/builtin-plugins/gateway/generated/nexus/v1/health.js';
import { SessionServiceClient } from '../../../src/builtin-plugins/gateway/generated/nexus/v1/sessions.js';
import { onCleanup } from './cleanup.js';
import { credentialsMetadata, type Credentials } from './gateway-stream.js';

/** The standard grpc.health.v1.Health client, as grpc-js builds it from the service definition. */
export interface StandardHealthClient extends Client {
  check(request: { service: string }, callback: (error: ServiceError | null, response: { status: string }) => void): void;
  watch(request: { service: string }): ClientReadableStream<{ status: string }>;
}

export interface UnaryClients {
  readonly sessions: SessionServiceClient;
  readonly health: HealthServiceClient;
  readonly standardHealth: StandardHealthClient;
}

/** Clients for the unary services at `target`, closed after the test. */
export function connectClients(target: string): UnaryClients {
  const insecure = credentials.createInsecure();
  const StandardHealth = makeGenericClientConstructor(standardHealthService as unknown as ServiceDefinition, 'Health');
  const clients = {
    sessions: new SessionServiceClient(target, insecure),
    health: new HealthServiceClient(target, insecure),
    standardHealth: new StandardHealth(target, insecure) as unknown as StandardHealthClient,
  };
  onCleanup(() => {
    for (const client of Object.values(clients)) client.close();
  });
  return clients;
}

/** Request and response types of a generated client's unary method (its fullest overload). */
type Unary<F> = F extends (request: infer Req, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: infer Res) => void) => unknown
  ? { readonly request: Req; readonly response: Res }
  : never;

/** Calls a unary method: `call(clients.sessions, 'getSession', { id }, { apiKey })`. */
export function call<C extends Client, K extends keyof C & string>(client: C, method: K, request: Unary<C[K]>['request'], auth: Credentials = {}): Promise<Unary<C[K]>['response']> {
  return new Promise((resolve, reject) => {
    const fn = client[method] as (...args: unknown[]) => unknown;
    fn.call(client, request, credentialsMetadata(auth), { deadline: Date.now() + 10_000 }, (error: ServiceError | null, response: Unary<C[K]>['response']) =>
      error ? reject(error) : resolve(response),
    );
  });
}

/** The call's gRPC error; throws if it succeeded. */
export async function failure(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error('the call was expected to fail, and it succeeded');
}

/** The standard health check's status for `service` ('' is the whole server), without credentials. */
export function standardCheck(client: StandardHealthClient, service = ''): Promise<string> {
  return new Promise((resolve, reject) =>
    client.check({ service }, (error, response) => (error ? reject(error) : resolve(response.status))),
  );
}

/** The services that server reflection (v1 or v1alpha) lists, asked the way grpcurl asks. */
export async function reflectedServices(target: string, version: 'v1' | 'v1alpha', auth: Credentials = {}): Promise<string[]> {
  const client = new Client(target, credentials.createInsecure());
  try {
    const stream = client.makeBidiStreamRequest(
      `/grpc.reflection.${version}.ServerReflection/ServerReflectionInfo`,
      (value: Uint8Array) => Buffer.from(value),
      (bytes: Buffer) => listedServices(bytes),
      credentialsMetadata(auth),
    );
    const response = new Promise<string[]>((resolve, reject) => {
      stream.once('data', resolve);
      stream.once('error', reject);
    });
    // ServerReflectionRequest.list_services (field 7) = "*"
    stream.write(new BinaryWriter().uint32((7 << 3) | 2).string('*').finish());
    stream.end();
    return await response;
  } finally {
    client.close();
  }
}

/** ServerReflectionResponse.list_services_response (6) → ListServiceResponse.service (1) → ServiceResponse.name (1). */
function listedServices(bytes: Uint8Array): string[] {
  const names: string[] = [];
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field !== 6) {
      reader.skip(wireType);
      continue;
    }
    const list = new BinaryReader(reader.bytes());
    while (list.pos < list.len) {
      const [listField, listType] = list.tag();
      if (listField !== 1) {
        list.skip(listType);
        continue;
      }
      const service = new BinaryReader(list.bytes());
      while (service.pos < service.len) {
        const [serviceField, serviceType] = service.tag();
        if (serviceField === 1) names.push(service.string());
        else service.skip(serviceType);
      }
    }
  }
  return names;
}
