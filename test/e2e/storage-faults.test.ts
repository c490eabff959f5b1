import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeOpenAI, textReply } from '../fixtures/llm-servers/index.js';
import { startChild } from '../builtin-plugins/storage/child-process-kit.js';
import { freshDatabase, postgresSkipReason, query } from '../builtin-plugins/storage/postgres-test-kit.js';
import { fakeLlm, nexusInstance, openStream, type GatewayStream } from './serve-harness.js';

type TurnEnd = Awaited<ReturnType<GatewayStream['turnEnds']>>[number];

/** Streams that each send a message, wait for its end, and send the next, until stopped. */
function chatter(target: string, streams: number) {
  const ends: TurnEnd[] = [];
  let running = true;
  const loops = Array.from({ length: streams }, async (_, k) => {
    const stream = openStream(target);
    for (let i = 0; running; i++) {
      stream.send(`stream ${k} message ${i}`);
      const [end] = (await stream.turnEnds(i + 1, 30_000)).slice(i);
      ends.push(end!);
    }
  });
  return {
    ends,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('e2e: the database failing under a running gateway', { timeout: 120_000 }, () => {
  it.skipIf(postgresSkipReason() !== undefined)(
    'survives its PostgreSQL backends being terminated under load: cut-off turns fail as unavailable without the database text, and the gateway serves again',
    async () => {
      const url = await freshDatabase('e2e_faults');
      await using llm = await startFakeOpenAI();
      llm.always(textReply('fine'));
      const nexus = nexusInstance({ llm: fakeLlm(llm), database: { url, auto_migrate: true, max_connections: 4 } });
      const server = await nexus.serve();

      const load = chatter(server.target, 12);
      // Round after round, while turns are storing and reading messages on every connection,
      // until some turn was cut off (a backend caught between two queries costs nothing).
      const cutOff = () => load.ends.some((end) => end.$case === 'errorNotification');
      await until(() => load.ends.length >= 100, '100 turn ends');
      for (let round = 0; round < 12 && !cutOff(); round++) {
        const killed = await query(url, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
        expect(killed.length).toBeGreaterThan(0);
        const endsAtKill = load.ends.length;
        await until(() => load.ends.length >= endsAtKill + 100, '100 more turn ends');
      }
      await load.stop();

      expect(server.child.exitCode).toBeNull();
      const errors = load.ends.flatMap((end) => (end.$case === 'errorNotification' ? [end.value] : []));
      expect(errors.length).toBeGreaterThan(0);
      for (const error of errors) {
        expect(error.code).toBe('unavailable');
        expect(error.message).not.toMatch(/terminating connection|administrator command|Connection terminated/);
      }
      // Recovered: a fresh turn on a fresh stream completes.
      const stream = openStream(server.target);
      stream.send('still there?');
      const [end] = await stream.turnEnds(1);
      expect(end).toMatchObject({ $case: 'messageComplete', value: { message: { content: 'fine' } } });
      expect(server.stderr()).not.toContain("Unhandled 'error' event");
      expect(await server.stop()).toEqual({ code: 0, signal: null });
    },
  );

  it('answers a turn blocked by another process holding the SQLite file as unavailable, and serves again once it lets go', async () => {
    await using llm = await startFakeOpenAI();
    llm.always(textReply('fine'));
    const nexus = nexusInstance({ llm: fakeLlm(llm), database: { busy_timeout: '150ms' } });
    const server = await nexus.serve();
    const lock = startChild('lock-child.ts', [join(nexus.home, 'data', 'nexus.db')]);
    try {
      expect(await lock.nextLine()).toBe('locked');
      const stream = openStream(server.target);
      stream.send('hello while locked');
      const [refused] = await stream.turnEnds(1);
      expect(refused).toMatchObject({
        $case: 'errorNotification',
        value: { code: 'unavailable', message: expect.stringContaining('another process has held its write lock for longer than database.busy_timeout') },
      });
      expect(JSON.stringify(refused)).not.toMatch(/SQLITE_BUSY|database is locked/);

      lock.process.stdin.write('release\n');
      expect(await lock.nextLine()).toBe('released');
      stream.send('hello again');
      const [, answered] = await stream.turnEnds(2);
      expect(answered).toMatchObject({ $case: 'messageComplete', value: { message: { content: 'fine' } } });
      expect(server.child.exitCode).toBeNull();
    } finally {
      lock.process.kill();
    }
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });
});
