import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { COMPACTION_METADATA_KEY, SessionStoreToken, type SessionStore } from '@nexus/plugin-sdk';
import type { TestKernel } from '../../../src/kernel/testing/index.js';
import { createTestKernel } from '../../../src/kernel/testing/index.js';
import { agentDir, agentKernel, scriptedDir, SCRIPTED_LLM, tempDir } from './agent-test-kit.js';
import { runCommandLine } from '../../helpers/command-line.js';
import { sqlitePluginDir, storeKernel, storesOf } from '../storage/storage-test-kit.js';

const HINT = 'list the sessions, with their ids and keys, with `nexus sessions list`';
const UNKNOWN_ID = '0190f0e0-0000-7000-8000-000000000000';

const sessions = (kernel: TestKernel, argv: readonly string[]) => runCommandLine(kernel, 'sessions', argv);
const storeOf = (kernel: TestKernel): Promise<SessionStore> => kernel.services.get(SessionStoreToken);

/** Two sessions: main:api:me with three messages, helper:telegram:42 with none. */
async function seeded(kernel: TestKernel) {
  const store = await storeOf(kernel);
  const me = await store.create({ agentId: 'main', channel: 'api', key: 'main:api:me', title: 'Mine', metadata: { lang: 'en' } });
  await store.appendMessage({ sessionId: me.id, role: 'user', content: 'hello\nsecond line' });
  await store.appendMessage({ sessionId: me.id, role: 'assistant', content: 'hi', toolCalls: [{ id: 'c1', name: 'search', input: {} }] });
  await store.appendMessage({ sessionId: me.id, role: 'user', content: 'bye' });
  const bot = await store.create({ agentId: 'helper', channel: 'telegram', key: 'helper:telegram:42' });
  return { store, me, bot };
}

describe('nexus sessions list', () => {
  it('lists every session, newest first, with its key, agent, channel, message count and last activity', async () => {
    await using kernel = agentKernel();
    const { me, bot } = await seeded(kernel);

    const { code, stdout, stderr } = await sessions(kernel, ['list']);

    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +KEY +AGENT +CHANNEL +MESSAGES +LAST ACTIVITY \(UTC\)$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 5))).toEqual([
      [bot.id, 'helper:telegram:42', 'helper', 'telegram', '0'],
      [me.id, 'main:api:me', 'main', 'api', '3'],
    ]);
    expect(lines[2]).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('filters by --agent and --channel, and prints JSON with --json', async () => {
    await using kernel = agentKernel();
    const { me } = await seeded(kernel);

    const { code, stdout } = await sessions(kernel, ['list', '--channel', 'api', '--agent', 'main', '--json']);

    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { total: number; sessions: Record<string, unknown>[] };
    expect(report.total).toBe(1);
    expect(report.sessions).toEqual([
      { id: me.id, key: 'main:api:me', agentId: 'main', channel: 'api', title: 'Mine', ownerId: null, messages: 3, createdAt: expect.any(String), lastActivityAt: expect.any(String), metadata: { lang: 'en' } },
    ]);
    expect(Date.parse(report.sessions[0]!.lastActivityAt as string)).toBeGreaterThanOrEqual(Date.parse(report.sessions[0]!.createdAt as string));
    expect(JSON.parse((await sessions(kernel, ['list', '--agent', 'main', '--channel', 'telegram', '--json'])).stdout)).toEqual({ total: 0, sessions: [] });
  });

  it('says how many more there are past --limit', async () => {
    await using kernel = agentKernel();
    await seeded(kernel);

    const { code, stdout } = await sessions(kernel, ['list', '--limit', '1']);

    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(stdout).toMatch(/helper:telegram:42/);
    expect(stdout).toMatch(/\n1 of 2 sessions, the newest first; --limit 2 shows them all\n$/);
  });

  it('says so when the store is empty, or nothing matches the filter', async () => {
    await using kernel = agentKernel();
    expect(await sessions(kernel, ['list'])).toEqual({ code: 0, stdout: 'no sessions yet: a session is created when its first message arrives (nexus chat, a channel, the API)\n', stderr: '' });
    expect(JSON.parse((await sessions(kernel, ['list', '--json'])).stdout)).toEqual({ total: 0, sessions: [] });
    await seeded(kernel);
    expect((await sessions(kernel, ['list', '--agent', 'nobody'])).stdout).toBe('no session matches --agent/--channel; drop them to see every session\n');
  });

  it('refuses a --limit below 1 as a usage error', async () => {
    await using kernel = agentKernel();
    const { code, stderr } = await sessions(kernel, ['list', '--limit', '0']);
    expect(code).toBe(2);
    expect(stderr).toBe('nexus sessions list: --limit must be 1 or more; see `nexus help sessions list` (plugin agent)\n');
  });
});

describe('nexus sessions show', () => {
  it('prints the record and the last messages, by key or by id in any case', async () => {
    await using kernel = agentKernel();
    const { me } = await seeded(kernel);

    const byKey = await sessions(kernel, ['show', 'main:api:me', '--limit', '2']);
    const byId = await sessions(kernel, ['show', me.id.toUpperCase(), '--limit', '2']);

    expect(byKey.code).toBe(0);
    expect(byId).toEqual(byKey);
    expect(byKey.stdout).toMatch(new RegExp(`^session ${me.id}\\n  key +main:api:me\\n  agent +main\\n  channel +api\\n  title +Mine\\n  owner +\\(the system`));
    expect(byKey.stdout).toMatch(/\n {2}messages +3\n/);
    expect(byKey.stdout).toMatch(/\n {2}metadata +lang\n/);
    const [, messages] = byKey.stdout.split('\nthe last 2 of 3 messages, oldest first:\n');
    expect(messages).toMatch(/^\[[^\]]+Z\] assistant: hi\n {4}\(tool call search\)\n\[[^\]]+Z\] user: bye\n$/);
  });

  it('indents the later lines of a message, says when it shows them all, and prints JSON', async () => {
    await using kernel = agentKernel();
    const { me } = await seeded(kernel);

    const text = await sessions(kernel, ['show', 'main:api:me']);
    expect(text.stdout).toContain('\nall 3 messages, oldest first:\n');
    expect(text.stdout).toMatch(/\] user: hello\n {4}second line\n/);

    const json = JSON.parse((await sessions(kernel, ['show', me.id, '--json', '--limit', '1'])).stdout) as { session: Record<string, unknown>; messages: Record<string, unknown>[] };
    expect(json.session).toMatchObject({ id: me.id, key: 'main:api:me', messages: 3 });
    expect(json.messages).toEqual([{ id: expect.any(String), role: 'user', content: 'bye', createdAt: expect.any(String) }]);
  });

  it('says a session has no messages yet', async () => {
    await using kernel = agentKernel();
    await seeded(kernel);
    const { code, stdout } = await sessions(kernel, ['show', 'helper:telegram:42']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/\n {2}messages +0\n[\s\S]*\nno messages yet\n$/);
  });

  it.each([
    ['an unknown key', 'main:api:nobody', `nexus sessions show: no session has the key "main:api:nobody"; ${HINT}\n`],
    ['an unknown id', UNKNOWN_ID, `nexus sessions show: no session has the id "${UNKNOWN_ID}"; ${HINT}\n`],
    ['something neither an id nor a key', 'me', `nexus sessions show: no session has the key "me" (an id is a UUID such as 0190a4d2-…; a key is <agent>:<channel>:<conversation>, such as main:api:me); ${HINT}\n`],
    ['a truncated id', '0190f0e0-0000', `nexus sessions show: no session has the key "0190f0e0-0000" (an id is a UUID such as 0190a4d2-…; a key is <agent>:<channel>:<conversation>, such as main:api:me); ${HINT}\n`],
  ])('exits 1 naming what it looked for and how to find sessions, for %s', async (_what, reference, message) => {
    await using kernel = agentKernel();
    await seeded(kernel);
    expect(await sessions(kernel, ['show', reference])).toEqual({ code: 1, stdout: '', stderr: message });
  });

  it.each([
    ['no session', ['show'], "missing required argument 'session'"],
    ['a --limit of 0', ['show', 'main:api:me', '--limit', '0'], '--limit must be from 1 to 1000'],
    ['a --limit past 1000', ['show', 'main:api:me', '--limit', '1001'], '--limit must be from 1 to 1000'],
    ['two sessions', ['show', 'a', 'b'], "too many arguments for 'show': expected 1 argument but got 2"],
  ])('exits 2 with a usage error for %s', async (_what, argv, message) => {
    await using kernel = agentKernel();
    const { code, stdout, stderr } = await sessions(kernel, argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`nexus sessions show: ${message}; see \`nexus help sessions show\` (plugin agent)\n`);
  });
});

describe('nexus sessions reset', () => {
  it('clears the history and the compaction summary, keeps the session and its other metadata; the next message starts afresh', async () => {
    await using kernel = agentKernel();
    const { store, me } = await seeded(kernel);
    await store.update(me.id, { metadata: { lang: 'en', [COMPACTION_METADATA_KEY]: { cycle: 2, summary: { text: 'old talk' } } } });
    await store.history(me.id, 50);

    const { code, stdout, stderr } = await sessions(kernel, ['reset', 'main:api:me']);

    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toBe(`reset session ${me.id} (main:api:me): 3 messages deleted, and its compaction summary; its next message starts a new history\n`);
    const after = await store.get(me.id);
    expect(after).toMatchObject({ id: me.id, key: 'main:api:me', title: 'Mine', metadata: { lang: 'en' } });
    expect(after.metadata).not.toHaveProperty(COMPACTION_METADATA_KEY);
    expect(await store.history(me.id, 50)).toEqual([]);
    await store.appendMessage({ sessionId: me.id, role: 'user', content: 'new start' });
    expect((await store.history(me.id, 50)).map((m) => m.content)).toEqual(['new start']);
  });

  it('prints JSON, and resets an empty session harmlessly', async () => {
    await using kernel = agentKernel();
    const { bot } = await seeded(kernel);
    const { code, stdout } = await sessions(kernel, ['reset', bot.id, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ id: bot.id, key: 'helper:telegram:42', clearedMessages: 0, clearedCompactionSummary: false });
  });

  it('exits 1 for an unknown session and changes nothing', async () => {
    await using kernel = agentKernel();
    const { store, me } = await seeded(kernel);
    expect(await sessions(kernel, ['reset', 'main:api:you'])).toEqual({ code: 1, stdout: '', stderr: `nexus sessions reset: no session has the key "main:api:you"; ${HINT}\n` });
    expect(await store.history(me.id, 50)).toHaveLength(3);
  });
});

describe('nexus sessions delete', () => {
  it('refuses without --yes, saying what would go, and deletes nothing', async () => {
    await using kernel = agentKernel();
    const { store, me } = await seeded(kernel);

    const { code, stdout, stderr } = await sessions(kernel, ['delete', 'main:api:me']);

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`nexus sessions delete: not deleted: session ${me.id} (main:api:me) and its 3 messages would be gone for good; run again with --yes to delete it (or \`nexus sessions reset\` to keep the session and clear only its history)\n`);
    expect(await store.history(me.id, 50)).toHaveLength(3);
  });

  it('deletes the session and its messages with --yes; the key is free again', async () => {
    await using kernel = agentKernel();
    const { store, me } = await seeded(kernel);

    const { code, stdout } = await sessions(kernel, ['delete', me.id, '--yes']);

    expect(code).toBe(0);
    expect(stdout).toBe(`deleted session ${me.id} (main:api:me) with its 3 messages; a new message to main:api:me starts a new session\n`);
    await expect(store.get(me.id)).rejects.toMatchObject({ code: 'not_found' });
    expect((await sessions(kernel, ['show', 'main:api:me'])).code).toBe(1);
    expect(JSON.parse((await sessions(kernel, ['delete', 'helper:telegram:42', '--yes', '--json'])).stdout)).toMatchObject({ key: 'helper:telegram:42', deleted: true, deletedMessages: 0 });
    expect((await sessions(kernel, ['list'])).stdout).toMatch(/^no sessions yet/);
  });

  it('exits 1 for an unknown session, with or without --yes', async () => {
    await using kernel = agentKernel();
    await seeded(kernel);
    for (const argv of [['delete', UNKNOWN_ID], ['delete', UNKNOWN_ID, '--yes']]) {
      expect(await sessions(kernel, argv)).toEqual({ code: 1, stdout: '', stderr: `nexus sessions delete: no session has the id "${UNKNOWN_ID}"; ${HINT}\n` });
    }
  });
});

describe('nexus sessions without a session store', () => {
  it('says to enable a storage plugin', async () => {
    await using kernel = createTestKernel({ plugin: agentDir, with: [scriptedDir], settings: { llm: SCRIPTED_LLM } });
    expect(await sessions(kernel, ['list'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'nexus sessions list: no session store is enabled, so there are no sessions to look up; enable a storage plugin (see `nexus plugins list`)\n',
    });
  });
});

describe('nexus sessions from the command line, on SQLite', () => {
  const cli = join(import.meta.dirname, '../../../dist/cli/main.js');
  const run = promisify(execFile);
  const nexus = async (args: string[], cwd: string) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd, env: { PATH: process.env.PATH, NEXUS_HOME: join(cwd, '.home') } });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  it.skipIf(!existsSync(cli))('lists, shows, resets and deletes sessions of the database in $NEXUS_HOME, and `nexus prompt --session` takes a key', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'nexus.yaml'), '');
    // What a running gateway wrote (and still holds open).
    const gateway = storeKernel(sqlitePluginDir, { path: join(dir, '.home', 'data', 'nexus.db') });
    try {
      const { sessions: store } = await storesOf(gateway);
      const me = await store.create({ agentId: 'main', channel: 'api', key: 'main:api:me' });
      await store.appendMessage({ sessionId: me.id, role: 'user', content: 'hello' });
      await store.history(me.id, 50);

      const list = await nexus(['sessions', 'list'], dir);
      expect(list.code).toBe(0);
      expect(list.stdout).toMatch(new RegExp(`\\n${me.id} +main:api:me +main +api +1 +`));

      const prompt = await nexus(['prompt', '--session', 'main:api:me', '--channel', 'api', '--json'], dir);
      expect(prompt.code).toBe(0);
      expect(JSON.parse(prompt.stdout)).toHaveProperty('sections');

      expect((await nexus(['sessions', 'reset', 'main:api:me'], dir)).stdout).toMatch(/1 message deleted; its next message starts a new history/);
      // The gateway's cached history learns that it was cleared.
      expect(await store.history(me.id, 50)).toEqual([]);

      const refused = await nexus(['sessions', 'delete', 'main:api:me'], dir);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/not deleted: .*run again with --yes/);
      expect((await nexus(['sessions', 'delete', 'main:api:me', '--yes'], dir)).code).toBe(0);
      await expect(store.get(me.id)).rejects.toMatchObject({ code: 'not_found' });
      expect((await nexus(['sessions', 'list'], dir)).stdout).toMatch(/^no sessions yet/);
    } finally {
      await gateway.stop();
    }
  }, 60_000);
});

describe('nexus sessions with a storage plugin built against SDK 1.0 (no countMessages, no clearHistory)', () => {
  /** Shadows the two later operations on the instance, as a 1.0 store would lack them. */
  async function olderStore(kernel: TestKernel) {
    const seededStores = await seeded(kernel);
    Object.defineProperty(seededStores.store, 'countMessages', { value: undefined });
    Object.defineProperty(seededStores.store, 'clearHistory', { value: undefined });
    return seededStores;
  }

  it('lists the sessions with their counts shown as unknown', async () => {
    await using kernel = agentKernel();
    const { me } = await olderStore(kernel);

    const table = await sessions(kernel, ['list']);
    const json = await sessions(kernel, ['list', '--json']);

    expect(table.code).toBe(0);
    expect(table.stdout.split('\n').find((l) => l.startsWith(me.id))!.split(/\s+/)[4]).toBe('?');
    expect((JSON.parse(json.stdout) as { sessions: { id: string; messages: unknown }[] }).sessions.find((s) => s.id === me.id)!.messages).toBeNull();
  });

  it('refuses reset, saying why and what to do instead, and keeps the history', async () => {
    await using kernel = agentKernel();
    const { store, me } = await olderStore(kernel);

    const { code, stderr } = await sessions(kernel, ['reset', 'main:api:me']);

    expect(code).toBe(1);
    expect(stderr).toContain('cannot clear a history (it has no SessionStore.clearHistory');
    expect(stderr).toContain('nexus sessions delete main:api:me --yes');
    expect(await store.history(me.id, 10)).toHaveLength(3);
  });
});
