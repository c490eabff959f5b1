import { status, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { ServingStatus, type HealthCheckResponse } from '../../src/builtin-plugins/gateway/generated/nexus/v1/health.js';
import { call, connectClients, credentialsMetadata, failure, nexusInstance, reflectedServices, standardCheck } from './serve-harness.js';

const NEXUS_SERVICES = ['nexus.v1.AgentService', 'nexus.v1.ChannelService', 'nexus.v1.HealthService', 'nexus.v1.NexusGateway', 'nexus.v1.SessionService'];

/** Collects a server stream until it ends. */
function collect<T>(stream: ClientReadableStream<T>) {
  const received: T[] = [];
  stream.on('data', (message: T) => received.push(message));
  const ended = new Promise<ServiceError | undefined>((resolve) => {
    stream.on('error', (error: ServiceError) => resolve(error));
    stream.on('end', () => resolve(undefined));
  });
  return { received, ended };
}

async function until(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('e2e: HealthService.Watch', { timeout: 90_000 }, () => {
  it('sends SERVING at once, NOT_SERVING when SIGTERM arrives, then ends the stream; the process exits 0', async () => {
    const nexus = nexusInstance({});
    const { key } = await nexus.createApiKey('ops');
    const server = await nexus.serve();
    const { health } = connectClients(server.target);

    const check = await call(health, 'check', { service: '' }, { apiKey: key });
    expect(check.status).toBe(ServingStatus.SERVING_STATUS_SERVING);
    expect(Number(check.metadata.uptime_seconds)).toBeGreaterThanOrEqual(0);

    const watch = collect<HealthCheckResponse>(health.watch({ service: '' }, credentialsMetadata({ apiKey: key })));
    await until(() => watch.received.length === 1, 'first Watch message');
    expect(watch.received[0]!.status).toBe(ServingStatus.SERVING_STATUS_SERVING);

    const exit = server.stop();
    await until(() => watch.received.length === 2, 'NOT_SERVING on Watch');
    expect(watch.received[1]!.status).toBe(ServingStatus.SERVING_STATUS_NOT_SERVING);
    const end = await watch.ended;
    expect(end === undefined || end.code === status.UNAVAILABLE, `the watch ended with ${end?.code}: ${end?.details}`).toBe(true);
    expect(await exit).toEqual({ code: 0, signal: null });
    expect(watch.received).toHaveLength(2);
  });

  it('needs credentials once an API key exists', async () => {
    const nexus = nexusInstance({});
    await nexus.createApiKey('ops');
    const server = await nexus.serve();
    const { health } = connectClients(server.target);
    expect((await failure(call(health, 'check', { service: '' }))).code).toBe(status.UNAUTHENTICATED);
    const watch = collect<HealthCheckResponse>(health.watch({ service: '' }));
    expect((await watch.ended)?.code).toBe(status.UNAUTHENTICATED);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });
});

describe('e2e: the standard health check, and reflection listing the services', { timeout: 90_000 }, () => {
  it('answers grpc.health.v1.Health without credentials and lists every service through reflection for an authenticated caller', async () => {
    const nexus = nexusInstance({});
    const { key } = await nexus.createApiKey('probe');
    const server = await nexus.serve();
    const { standardHealth } = connectClients(server.target);

    // Load balancers and grpc_health_probe carry no credentials.
    expect(await standardCheck(standardHealth)).toBe('SERVING');
    for (const service of NEXUS_SERVICES) expect(await standardCheck(standardHealth, service), service).toBe('SERVING');
    expect((await failure(standardCheck(standardHealth, 'no.such.Service'))).code).toBe(status.NOT_FOUND);

    const expected = [...NEXUS_SERVICES, 'grpc.health.v1.Health', 'grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection'].sort();
    expect((await reflectedServices(server.target, 'v1', { apiKey: key })).sort()).toEqual(expected);
    expect((await reflectedServices(server.target, 'v1alpha', { apiKey: key })).sort()).toEqual(expected);
    // Reflection is not public once credentials exist.
    expect((await failure(reflectedServices(server.target, 'v1'))).code).toBe(status.UNAUTHENTICATED);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });
});
