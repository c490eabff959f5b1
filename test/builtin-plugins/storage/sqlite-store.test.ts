import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeStoreContract } from '@nexus/plugin-sdk/storage';
import { openThroughKernel, sqlitePluginDir, storeKernel, storesOf, tempDir } from './storage-test-kit.js';

/** The database file and its write-ahead log, as text, to search for secrets. */
function fileBytes(file: string): string {
  return [file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('\n');
}

describeStoreContract('SQLite', async (clock) => {
  const file = join(tempDir(), 'nexus.db');
  const kernel = storeKernel(sqlitePluginDir, { path: file }, { clock });
  return openThroughKernel(kernel, async () => fileBytes(file));
}, { describe, it, expect, beforeEach, afterEach });

describe('SQLite store: history read by two processes', () => {
  it('sees what another connection to the same database appended after a cached read', async () => {
    const file = join(tempDir(), 'shared.db');
    const one = storeKernel(sqlitePluginDir, { path: file });
    const two = storeKernel(sqlitePluginDir, { path: file });
    try {
      const [a, b] = [await storesOf(one), await storesOf(two)];
      const session = await a.sessions.create({ agentId: 'main', channel: 'api', key: 'main:api:shared' });
      await a.sessions.appendMessage({ sessionId: session.id, role: 'user', content: 'from one' });
      expect((await a.sessions.history(session.id, 10)).map((m) => m.content)).toEqual(['from one']);
      expect((await b.sessions.history(session.id, 10)).map((m) => m.content)).toEqual(['from one']);

      await b.sessions.appendMessage({ sessionId: session.id, role: 'assistant', content: 'from two' });
      await a.sessions.appendMessage({ sessionId: session.id, role: 'user', content: 'one again' });

      expect((await a.sessions.history(session.id, 10)).map((m) => m.content)).toEqual(['from one', 'from two', 'one again']);
      expect((await b.sessions.history(session.id, 2)).map((m) => m.content)).toEqual(['from two', 'one again']);

      await b.sessions.delete(session.id);
      await expect(a.sessions.history(session.id, 10)).rejects.toMatchObject({ code: 'not_found' });
    } finally {
      await one.stop();
      await two.stop();
    }
  });

  it('sees a history another connection cleared after a cached read (nexus sessions reset beside a running gateway)', async () => {
    const file = join(tempDir(), 'reset.db');
    const gateway = storeKernel(sqlitePluginDir, { path: file });
    const cli = storeKernel(sqlitePluginDir, { path: file });
    try {
      const [a, b] = [await storesOf(gateway), await storesOf(cli)];
      const session = await a.sessions.create({ agentId: 'main', channel: 'api', key: 'main:api:reset' });
      for (const content of ['one', 'two', 'three']) await a.sessions.appendMessage({ sessionId: session.id, role: 'user', content });
      expect((await a.sessions.history(session.id, 50)).map((m) => m.content)).toEqual(['one', 'two', 'three']);

      expect(await b.sessions.clearHistory!(session.id)).toBe(3);
      expect(await a.sessions.history(session.id, 50)).toEqual([]);

      await a.sessions.history(session.id, 50);
      await b.sessions.appendMessage({ sessionId: session.id, role: 'user', content: 'fresh' });
      expect((await a.sessions.history(session.id, 50)).map((m) => m.content)).toEqual(['fresh']);
      await b.sessions.clearHistory!(session.id);
      await b.sessions.appendMessage({ sessionId: session.id, role: 'user', content: 'fresher' });
      expect((await a.sessions.history(session.id, 50)).map((m) => m.content)).toEqual(['fresher']);
      expect((await a.sessions.history(session.id, 50)).map((m) => m.content)).toEqual(['fresher']);
    } finally {
      await gateway.stop();
      await cli.stop();
    }
  });
});
