import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createExecutors, WebhookExecutor, type RunContext } from '../../../src/builtin-plugins/cron/executors/index.js';
import type { JobOfType } from '../../../src/builtin-plugins/cron/config/index.js';
import { MINUTE, ManualTime, SECOND, T0, history, job, onCleanup, sqliteDatabase, testScheduler } from './cron-test-kit.js';

interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A real HTTP server on 127.0.0.1: `/status/<code>` answers that code, `/slow` never answers, anything else 200. */
async function hookServer(): Promise<{ base: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ method: request.method!, url: request.url!, headers: request.headers, body });
      const url = request.url!;
      if (url.startsWith('/slow')) return;
      if (url.startsWith('/big')) return response.end('x'.repeat(10_000));
      const status = /^\/status\/(\d+)/.exec(url)?.[1];
      if (status === '302') response.setHeader('location', 'http://127.0.0.1:1/elsewhere');
      response.statusCode = status ? Number(status) : 200;
      response.end(status ? `status ${status}` : 'accepted');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

const run: RunContext = { id: `hook@${T0}`, jobId: 'hook', scheduledAt: T0, kind: 'schedule', attempt: 2 };
const webhookJob = (webhook: Record<string, unknown>) => job('hook', { type: 'webhook', schedule: { every: '1h' }, webhook: webhook as never }) as JobOfType<'webhook'>;

function executor(time = new ManualTime(T0 + 5 * SECOND)) {
  return { time, webhook: new WebhookExecutor({ clock: time, timers: time }) };
}

describe('the webhook executor', () => {
  it('sends the method, the configured headers and the rendered body template', async () => {
    const { base, received } = await hookServer();
    const { webhook } = executor();
    const result = await webhook.execute(
      webhookJob({ url: `${base}/hooks/nightly`, method: 'PUT', headers: { authorization: 'Bearer abc', 'x-team': 'ops' }, body: '{"job":"{{job.id}}","at":"{{ run.scheduled_at }}","ms":{{run.scheduled_at_ms}},"try":{{run.attempt}},"kind":"{{run.kind}}","id":"{{run.id}}","now":"{{now}}"}' }),
      run,
      new AbortController().signal,
    );
    expect(result).toEqual({ status: 'ok', output: '200 OK: accepted' });
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request).toMatchObject({ method: 'PUT', url: '/hooks/nightly' });
    expect(JSON.parse(request!.body)).toEqual({ job: 'hook', at: '2026-01-05T09:00:00.000Z', ms: T0, try: 2, kind: 'schedule', id: `hook@${T0}`, now: '2026-01-05T09:00:05.000Z' });
    expect(request!.headers).toMatchObject({
      authorization: 'Bearer abc',
      'x-team': 'ops',
      'content-type': 'application/json',
      'user-agent': 'nexus-cron/0.1',
      'idempotency-key': `hook@${T0}`,
      'x-nexus-cron-job': 'hook',
      'x-nexus-cron-scheduled-at': '2026-01-05T09:00:00.000Z',
    });
  });

  it('describes the run in JSON when a POST has no body template, and sends none with GET', async () => {
    const { base, received } = await hookServer();
    const { webhook } = executor();
    await webhook.execute(webhookJob({ url: `${base}/a` }), run, new AbortController().signal);
    await webhook.execute(webhookJob({ url: `${base}/b`, method: 'GET' }), run, new AbortController().signal);
    expect(JSON.parse(received[0]!.body)).toEqual({ job_id: 'hook', run_id: `hook@${T0}`, kind: 'schedule', scheduled_at: '2026-01-05T09:00:00.000Z', attempt: 2 });
    expect(received[1]).toMatchObject({ method: 'GET', body: '' });
    expect(received[1]!.headers['content-type']).toBeUndefined();
  });

  it('sends a body that is not JSON as text, unless the job sets its content type', async () => {
    const { base, received } = await hookServer();
    const { webhook } = executor();
    await webhook.execute(webhookJob({ url: `${base}/a`, body: 'run {{run.id}}' }), run, new AbortController().signal);
    await webhook.execute(webhookJob({ url: `${base}/b`, body: 'a=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), run, new AbortController().signal);
    expect(received.map((r) => [r.body, r.headers['content-type']])).toEqual([
      [`run hook@${T0}`, 'text/plain; charset=utf-8'],
      ['a=1', 'application/x-www-form-urlencoded'],
    ]);
  });

  it('treats 5xx, 408, 425 and 429 as transient failures, other statuses of 300 or more as permanent', async () => {
    const { base } = await hookServer();
    const { webhook } = executor();
    const outcome = async (status: number) => webhook.execute(webhookJob({ url: `${base}/status/${status}` }), run, new AbortController().signal);
    for (const status of [500, 502, 503, 408, 425, 429]) expect(await outcome(status), String(status)).toMatchObject({ status: 'error', transient: true, error: `POST ${base}/status/${status} answered ${status}` });
    for (const status of [400, 401, 404, 410, 422]) expect(await outcome(status), String(status)).toMatchObject({ status: 'error', transient: false, output: `${status} ${statusText(status)}: status ${status}` });
    expect(await outcome(204)).toEqual({ status: 'ok', output: '204 No Content' });
  });

  it('does not follow a redirect, and says why it failed', async () => {
    const { base, received } = await hookServer();
    const { webhook } = executor();
    expect(await webhook.execute(webhookJob({ url: `${base}/status/302` }), run, new AbortController().signal)).toMatchObject({
      status: 'error',
      transient: false,
      error: `POST ${base}/status/302 answered 302 (redirects are not followed; set webhook.url to the final URL)`,
    });
    expect(received).toHaveLength(1);
  });

  it('gives up at webhook.timeout, by the injected clock, as a transient failure', async () => {
    const { base, received } = await hookServer();
    const { webhook, time } = executor();
    const pending = webhook.execute(webhookJob({ url: `${base}/slow`, timeout: '2s' }), run, new AbortController().signal);
    await waitFor(() => received.length === 1);
    await time.advance(2 * SECOND);
    expect(await pending).toEqual({ status: 'error', transient: true, error: `POST ${base}/slow did not answer within 2s (webhook.timeout)` });
  });

  it('stops when the run is aborted (job timeout or shutdown), without calling it transient', async () => {
    const { base, received } = await hookServer();
    const { webhook } = executor();
    const controller = new AbortController();
    const pending = webhook.execute(webhookJob({ url: `${base}/slow` }), run, controller.signal);
    await waitFor(() => received.length === 1);
    controller.abort(new Error('the scheduler is shutting down'));
    expect(await pending).toEqual({ status: 'error', transient: false, error: `POST ${base}/slow was abandoned: the scheduler is shutting down` });
  });

  it('calls an unreachable server a transient failure', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { webhook } = executor();
    expect(await webhook.execute(webhookJob({ url: `http://127.0.0.1:${port}/x` }), run, new AbortController().signal)).toEqual({
      status: 'error',
      transient: true,
      error: `POST http://127.0.0.1:${port}/x is unreachable: ECONNREFUSED`,
    });
  });

  it('sends user info in the URL as Basic authentication, not in the request line', async () => {
    const { base, received } = await hookServer();
    const { webhook } = executor();
    const result = await webhook.execute(webhookJob({ url: base.replace('http://', 'http://cron:s%40fe@') + '/in' }), run, new AbortController().signal);
    expect(result.status).toBe('ok');
    expect(received[0]).toMatchObject({ url: '/in', headers: { authorization: `Basic ${Buffer.from('cron:s@fe').toString('base64')}` } });
  });

  it('keeps only the start of a long response', async () => {
    const { base } = await hookServer();
    const { webhook } = executor();
    const result = await webhook.execute(webhookJob({ url: `${base}/big` }), run, new AbortController().signal);
    expect(result.status).toBe('ok');
    expect(result.output!.length).toBeLessThanOrEqual(2048 + '200 OK: '.length);
  });

  it('never puts a secret from the headers, the URL query or its user info into errors, output or logs', async () => {
    const { base } = await hookServer();
    const { db } = await sqliteDatabase();
    const time = new ManualTime(T0);
    const url = `${base.replace('http://', 'http://user:pa55word@')}/status/503?token=qu3ry-s3cret`;
    const { scheduler, logger } = testScheduler({ db, time, executors: createExecutors({ clock: time, timers: time }) });
    await scheduler.start([job('hook', { type: 'webhook', schedule: { cron: '1 9 * * *' }, retries: { max: 1, backoff: '1s' }, webhook: { url, headers: { authorization: 'Bearer h3ader-s3cret' } } })]);
    await time.advance(MINUTE);
    await waitFor(async () => (await history(db, 'hook')).length === 1 && (await history(db, 'hook'))[0]!.attempt === 2);
    await time.advance(SECOND);
    await waitFor(async () => (await history(db, 'hook'))[0]!.status === 'error');
    const everything = JSON.stringify({ rows: await history(db, 'hook'), logs: logger.entries });
    expect(everything).toContain(`answered 503`);
    for (const secret of ['h3ader-s3cret', 'qu3ry-s3cret', 'pa55word']) expect(everything).not.toContain(secret);
  });

  it('runs end to end under the scheduler, one request per run with its idempotency key', async () => {
    const { base, received } = await hookServer();
    const { db } = await sqliteDatabase();
    const time = new ManualTime(T0);
    const { scheduler } = testScheduler({ db, time, executors: createExecutors({ clock: time, timers: time }) });
    await scheduler.start([job('hook', { type: 'webhook', schedule: { every: '1m' }, webhook: { url: `${base}/hooks`, body: '{{run.id}}' } })]);
    await time.advance(MINUTE);
    await waitFor(async () => (await history(db, 'hook'))[0]?.status === 'ok');
    await time.advance(MINUTE);
    await waitFor(async () => (await history(db, 'hook'))[1]?.status === 'ok');
    expect(received.map((r) => [r.body, r.headers['idempotency-key']])).toEqual([
      [`hook@${T0 + MINUTE}`, `hook@${T0 + MINUTE}`],
      [`hook@${T0 + 2 * MINUTE}`, `hook@${T0 + 2 * MINUTE}`],
    ]);
    expect((await history(db, 'hook')).map((r) => [r.status, r.output])).toEqual([
      ['ok', '200 OK: accepted'],
      ['ok', '200 OK: accepted'],
    ]);
  });
});

function statusText(status: number): string {
  return ({ 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 410: 'Gone', 422: 'Unprocessable Entity' } as Record<number, string>)[status]!;
}

/** Waits for real I/O (the local server) to reach a state; the test clock does not move meanwhile. */
async function waitFor(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the condition never became true');
}
