import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { nexusInstance, onCleanup } from './serve-harness.js';

interface Hit {
  readonly path: string;
  readonly body: string;
}

/** An HTTP endpoint on 127.0.0.1 that records every request and answers 204. */
async function hookServer(): Promise<{ readonly url: string; readonly hits: Hit[] }> {
  const hits: Hit[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      hits.push({ path: request.url ?? '', body });
      response.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  onCleanup(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

async function until(predicate: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The scheduled times (UTC ms) in bodies rendered from `{{run.id}}` (`<job>@<ms>`). */
const scheduledTimes = (hits: readonly Hit[], job: string) => hits.filter((h) => h.path === `/${job}`).map((h) => Number(h.body.slice(`${job}@`.length)));

describe('e2e: nexus serve fires scheduled jobs by itself', { timeout: 90_000 }, () => {
  it('runs a config job every second and a stored one-shot job once, each run exactly once and in `nexus cron runs`', async () => {
    const hook = await hookServer();
    const nexus = nexusInstance({ cron: { jobs: { tick: { type: 'webhook', schedule: { every: '1s' }, webhook: { url: `${hook.url}/tick`, body: '{{run.id}}' } } } } });
    // Stored before the server starts; a start later than the time itself is within the misfire grace (1m), so it still runs.
    const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 5000).toISOString();
    const added = await nexus.cli(['cron', 'add', 'once', '--type', 'webhook', '--at', at, '--url', `${hook.url}/once`, '--body', '{{run.id}}']);
    expect(added).toMatchObject({ code: 0, stderr: '' });

    const server = await nexus.serve();
    await until(() => scheduledTimes(hook.hits, 'tick').length >= 3 && scheduledTimes(hook.hits, 'once').length >= 1, 'three ticks and the one-shot run', 30_000);
    expect(await server.stop()).toEqual({ code: 0, signal: null });

    const ticks = scheduledTimes(hook.hits, 'tick');
    // Every second on the job's anchor, none twice, none skipped between the first and the last.
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(ticks.map((t) => t - ticks[0]!)).toEqual(ticks.map((_, k) => k * 1000));
    expect(scheduledTimes(hook.hits, 'once')).toEqual([Date.parse(at)]);

    const runs = async (id: string) => {
      const listed = await nexus.cli(['cron', 'runs', id, '--limit', '100', '--json']);
      expect(listed).toMatchObject({ code: 0 });
      return JSON.parse(listed.stdout) as { scheduledAt: string; status: string; kind: string }[];
    };
    const tickRuns = await runs('tick');
    expect(tickRuns.filter((r) => r.status === 'ok').map((r) => Date.parse(r.scheduledAt)).sort((a, b) => a - b)).toEqual(ticks);
    expect(tickRuns.every((r) => r.kind === 'schedule')).toBe(true);
    expect(await runs('once')).toEqual([expect.objectContaining({ scheduledAt: at, status: 'ok' })]);
  });
});
