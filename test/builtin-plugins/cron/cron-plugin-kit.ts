import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { vi } from 'vitest';
import { ChannelDeliveryToken, TurnServiceToken, type ChannelDelivery, type DeliveryRequest, type PluginTurnRequest, type PluginTurnResult, type SystemEventRequest, type TurnService } from '@nexus/plugin-sdk';
import { describeSession } from '../../../src/builtin-plugins/cron/config/cron-job.js';
import { createTestKernel, type TestKernel } from '../../../src/kernel/testing/index.js';
import { onCleanup, tempDir } from './test-basics.js';
import type { ManualTime } from './manual-time.js';

const builtins = join(import.meta.dirname, '../../../src/builtin-plugins');
export const cronPluginDir = join(builtins, 'cron');
export const storagePluginDir = join(builtins, 'storage');
export const sqlitePluginDir = join(builtins, 'storage-sqlite');
export const postgresPluginDir = join(builtins, 'storage-postgres');

/** The gateway's turn service as cron sees it: each session answers with `reply`. */
export class FakeTurns implements TurnService {
  readonly requests: Omit<PluginTurnRequest, 'signal'>[] = [];
  readonly events: Omit<SystemEventRequest, 'signal'>[] = [];
  constructor(public reply: (request: PluginTurnRequest) => string = () => 'done') {}
  async run({ signal: _signal, ...request }: PluginTurnRequest): Promise<PluginTurnResult> {
    this.requests.push(request);
    const key = describeSession(request.session);
    return { status: 'done', sessionId: `id-${key}`, sessionKey: key, text: this.reply(request as PluginTurnRequest) };
  }
  async appendSystemEvent({ signal: _signal, ...request }: SystemEventRequest) {
    this.events.push(request);
    const key = describeSession(request.session);
    return { sessionId: `id-${key}`, sessionKey: key };
  }
}

export class FakeDelivery implements ChannelDelivery {
  readonly sent: Omit<DeliveryRequest, 'signal'>[] = [];
  async deliver({ signal: _signal, ...request }: DeliveryRequest) {
    this.sent.push(request);
    return { deliveredAt: 0 };
  }
}

export interface CronKernelOptions {
  readonly time: ManualTime;
  readonly cron?: Record<string, unknown>;
  readonly settings?: Record<string, unknown>;
  readonly database?: Record<string, unknown>;
  readonly turns?: TurnService;
  readonly delivery?: ChannelDelivery;
  readonly with?: readonly string[];
}

/** The cron plugin in a kernel on a SQLite file (or `database`), with the gateway's services faked and time moved by hand. */
export function cronKernel(options: CronKernelOptions): TestKernel {
  const database = options.database ?? { path: join(tempDir(), 'nexus.db') };
  const store = typeof database.url === 'string' && database.url.startsWith('postgres') ? postgresPluginDir : sqlitePluginDir;
  const kernel = createTestKernel({
    plugin: cronPluginDir,
    with: [storagePluginDir, store, ...(options.with ?? [])],
    settings: { database, user: { timezone: 'UTC' }, ...(options.cron ? { cron: options.cron } : {}), ...options.settings },
    services: [
      ...(options.turns ? ([[TurnServiceToken, options.turns]] as const) : []),
      ...(options.delivery ? ([[ChannelDeliveryToken, options.delivery]] as const) : []),
    ],
    clock: options.time,
  });
  onCleanup(async () => {
    const stopping = kernel.stop();
    await options.time.advance(0);
    await stopping;
  });
  return kernel;
}

/** `kernel.ready`, as `nexus serve` emits it once started: the scheduler starts. */
export async function serveReady(kernel: TestKernel): Promise<void> {
  await kernel.activate('onStartup');
  await kernel.hooks.emit('kernel.ready', { activePlugins: ['cron'], durationMs: 1 });
}

/** A webhook receiver on 127.0.0.1 that records every request body. */
export async function webhookReceiver(status = 204): Promise<{ url: string; bodies: string[]; server: Server }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/hook`, bodies, server };
}

/**
 * Waits for `assertion` while firing the timers the plugin arms at the current instant: the
 * scheduler's passes run asynchronously (real SQL, real HTTP), so a timer it arms after
 * `advance` returned is fired here, without moving the clock.
 */
export async function until(time: ManualTime, assertion: () => void | Promise<void>): Promise<void> {
  await vi.waitFor(async () => {
    await time.advance(0);
    await assertion();
  }, { timeout: 20_000, interval: 20 });
}
