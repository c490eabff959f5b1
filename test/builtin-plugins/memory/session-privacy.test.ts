import { describe, expect, it } from 'vitest';
import { decideSessionPrivacy } from '@nexus/plugin-sdk/prompt';
import { MemoryPathError } from '../../../src/builtin-plugins/memory/paths/index.js';
import { openTestEngine } from './memory-test-kit.js';

describe('MEMORY.md only in private sessions', () => {
  it('is private for a direct chat and for the gateway API', () => {
    expect(decideSessionPrivacy({ channel: 'telegram', metadata: { chat_type: 'private' } }).private).toBe(true);
    expect(decideSessionPrivacy({ channel: 'slack', chatType: 'im' }).private).toBe(true);
    expect(decideSessionPrivacy({ channel: 'discord', metadata: { chatType: 'dm' } }).private).toBe(true);
    expect(decideSessionPrivacy({ channel: 'api' })).toEqual({ private: true, reason: 'every api session is one-to-one' });
  });

  it('is never private for a group, a channel or a thread', () => {
    for (const chatType of ['group', 'supergroup', 'channel', 'thread', 'mpim', 'guild']) {
      expect(decideSessionPrivacy({ channel: 'telegram', chatType }).private).toBe(false);
    }
    expect(decideSessionPrivacy({ channel: 'api', metadata: { is_group: true } }).private).toBe(false);
  });

  it('is not private when the channel does not say, or says something unknown: a missing field must not leak the file', () => {
    expect(decideSessionPrivacy({ channel: 'telegram' })).toEqual({ private: false, reason: 'telegram did not say whether this chat is one-to-one (metadata.chat_type)' });
    expect(decideSessionPrivacy({ channel: 'webhook', metadata: { chat_type: 'broadcast-ish' } }).private).toBe(false);
  });

  it('leaves MEMORY.md out of a group session search, and refuses to read it there', async () => {
    const { engine } = await openTestEngine({ files: { 'MEMORY.md': '# Memory\n\nAna is allergic to peanuts.\n', 'memory/2026-03-15.md': '- [10:00:00] note: peanuts were on the shopping list\n' } });
    const group = { private: false };
    const inGroup = await engine.search({ query: 'peanuts' }, group);
    expect(inGroup.results.map((r) => r.path)).toEqual(['memory/2026-03-15.md']);
    const inPrivate = await engine.search({ query: 'peanuts' }, { private: true });
    expect(inPrivate.results.map((r) => r.path).sort()).toEqual(['MEMORY.md', 'memory/2026-03-15.md']);
    const refused = await engine.get({ path: 'MEMORY.md' }, group).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MemoryPathError);
    expect((refused as MemoryPathError).code).toBe('private');
    expect((await engine.get({ path: 'MEMORY.md' }, { private: true })).text).toContain('peanuts');
  });
});
