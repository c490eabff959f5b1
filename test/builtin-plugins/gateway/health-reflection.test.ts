import { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';
import { Client, credentials, Metadata, status, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { ServingStatus, type HealthCheckResponse } from '../../../src/builtin-plugins/gateway/generated/nexus/v1/health.js';
import { call, creds, failure, issueToken, JWT_SECRET, startGateway, type StandardHealthClient } from './gateway-test-kit.js';

const NEXUS_SERVICES = ['nexus.v1.AgentService', 'nexus.v1.ChannelService', 'nexus.v1.HealthService', 'nexus.v1.NexusGateway', 'nexus.v1.SessionService'];

function standardCheck(client: StandardHealthClient, service = ''): Promise<string> {
  return new Promise((resolve, reject) => client.check({ service }, (error, response) => (error ? reject(error) : resolve(response.status))));
}

/** Collects a server stream's messages until it ends; `next()` waits for the next one. */
function collect<T>(stream: ClientReadableStream<T>) {
  const received: T[] = [];
  const waiters: (() => void)[] = [];
  const ended = new Promise<ServiceError | undefined>((resolve) => {
    stream.on('error', (error: ServiceError) => resolve(error));
    stream.on('end', () => resolve(undefined));
  });
  stream.on('data', (message: T) => {
    received.push(message);
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    received,
    ended,
    async count(n: number): Promise<T[]> {
      while (received.length < n) await new Promise<void>((resolve) => waiters.push(resolve));
      return received.slice(0, n);
    },
  };
}

/** One request on the reflection stream (v1 or v1alpha): `list_services` (7) or `file_containing_symbol` (4). */
async function reflect(target: string, version: 'v1' | 'v1alpha', request: { listServices: true } | { symbol: string }, metadata: Metadata = new Metadata()) {
  const client = new Client(target, credentials.createInsecure());
  try {
    const stream = client.makeBidiStreamRequest(
      `/grpc.reflection.${version}.ServerReflection/ServerReflectionInfo`,
      (value: Uint8Array) => Buffer.from(value),
      (bytes: Buffer) => decodeReflectionResponse(bytes),
      metadata,
    );
    const response = new Promise<ReturnType<typeof decodeReflectionResponse>>((resolve, reject) => {
      stream.once('data', resolve);
      stream.once('error', reject);
    });
    const writer = new BinaryWriter();
    if ('symbol' in request) writer.uint32((4 << 3) | 2).string(request.symbol);
    else writer.uint32((7 << 3) | 2).string('*');
    stream.write(writer.finish());
    stream.end();
    return await response;
  } finally {
    client.close();
  }
}

/** The parts of a ServerReflectionResponse the tests read. */
function decodeReflectionResponse(bytes: Uint8Array) {
  const result = { services: [] as string[], fileNames: [] as string[], error: undefined as string | undefined };
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 6 || field === 4 || field === 7) {
      const inner = new BinaryReader(reader.bytes());
      while (inner.pos < inner.len) {
        const [innerField, innerType] = inner.tag();
        if (field === 6 && innerField === 1) result.services.push(firstString(inner.bytes()));
        else if (field === 4 && innerField === 1) result.fileNames.push(firstString(inner.bytes()));
        else if (field === 7 && innerField === 2) result.error = inner.string();
        else inner.skip(innerType);
      }
    } else reader.skip(wireType);
  }
  return result;
}

/** Field 1 of a message: a ServiceResponse's name, a FileDescriptorProto's file name. */
function firstString(bytes: Uint8Array): string {
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1) return reader.string();
    reader.skip(wireType);
  }
  return '';
}

describe('health and reflection', () => {
  it('reports SERVING on the standard health service once the kernel is ready, for the gateway and each service', async () => {
    const gw = await startGateway();
    expect(await standardCheck(gw.standardHealth)).toBe('SERVING');
    expect(await standardCheck(gw.standardHealth, 'nexus.v1.SessionService')).toBe('SERVING');
    const unknown = await failure(standardCheck(gw.standardHealth, 'no.such.Service'));
    expect(unknown.code).toBe(status.NOT_FOUND);
  });

  it('reports NOT_SERVING on the standard health service while draining, before the server closes', async () => {
    const gw = await startGateway();
    await gw.kernel.hooks.emit('kernel.stopping', { reason: 'test' });
    expect(await standardCheck(gw.standardHealth)).toBe('NOT_SERVING');
    // A late `kernel.ready` does not reopen a draining gateway.
    await gw.kernel.hooks.emit('kernel.ready', { activePlugins: [], durationMs: 1 });
    expect(await standardCheck(gw.standardHealth)).toBe('NOT_SERVING');
  });

  it('answers HealthService.Check with the status and uptime, and SERVICE_UNKNOWN for other names', async () => {
    const gw = await startGateway();
    const whole = await call(gw.health, 'check', { service: '' });
    expect(whole.status).toBe(ServingStatus.SERVING_STATUS_SERVING);
    expect(Number(whole.metadata.uptime_seconds)).toBeGreaterThanOrEqual(0);
    expect((await call(gw.health, 'check', { service: 'nexus.v1.AgentService' })).status).toBe(ServingStatus.SERVING_STATUS_SERVING);
    expect((await call(gw.health, 'check', { service: 'nexus.v1.Nope' })).status).toBe(ServingStatus.SERVING_STATUS_SERVICE_UNKNOWN);
  });

  it('pushes NOT_SERVING to HealthService.Watch when the gateway stops, then ends the stream', async () => {
    const gw = await startGateway();
    const watch = collect<HealthCheckResponse>(gw.health.watch({ service: '' }));
    expect((await watch.count(1))[0]!.status).toBe(ServingStatus.SERVING_STATUS_SERVING);

    await gw.kernel.stop();
    expect(await watch.ended).toBeUndefined();
    expect(watch.received.map((m) => m.status)).toEqual([ServingStatus.SERVING_STATUS_SERVING, ServingStatus.SERVING_STATUS_NOT_SERVING]);
  });

  it('ends standard health watches on stop too, so shutdown does not wait out the grace period', async () => {
    const gw = await startGateway();
    const watch = collect<{ status: string }>(gw.standardHealth.watch({ service: '' }));
    expect((await watch.count(1))[0]!.status).toBe('SERVING');

    const started = Date.now();
    await gw.kernel.stop();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(watch.received.map((m) => m.status)).toEqual(['SERVING', 'NOT_SERVING']);
    const afterwards = await failure(standardCheck(gw.standardHealth));
    expect(afterwards.code).toBe(status.UNAVAILABLE);
  });

  it('lists every service through server reflection, v1 and v1alpha', async () => {
    const gw = await startGateway();
    for (const version of ['v1', 'v1alpha'] as const) {
      const { services } = await reflect(gw.target, version, { listServices: true });
      expect(services.sort()).toEqual(
        [...NEXUS_SERVICES, 'grpc.health.v1.Health', 'grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection'].sort(),
      );
    }
  });

  it('describes a service and its imports through reflection, so clients need no .proto files', async () => {
    const gw = await startGateway();
    const { fileNames } = await reflect(gw.target, 'v1', { symbol: 'nexus.v1.SessionService' });
    expect(fileNames).toEqual(expect.arrayContaining(['nexus/v1/sessions.proto', 'google/protobuf/timestamp.proto', 'google/protobuf/empty.proto']));
  });

  it('needs credentials for reflection once auth applies', async () => {
    const gw = await startGateway({ settings: { auth: { jwt_secret: JWT_SECRET } } });
    const refused = await failure(reflect(gw.target, 'v1', { listServices: true }));
    expect(refused.code).toBe(status.UNAUTHENTICATED);
    const token = await issueToken(gw.kernel, 'ops');
    expect((await reflect(gw.target, 'v1', { listServices: true }, creds({ bearer: token }))).services).toContain('nexus.v1.SessionService');
  });

  it('logs the address it listens on', async () => {
    const gw = await startGateway();
    expect(gw.kernel.logs.find((entry) => entry.level === 'info' && entry.msg === `gRPC API listening on 127.0.0.1:${gw.port}`)).toBeDefined();
  });
});
