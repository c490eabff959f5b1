import { describe, expect, it } from 'vitest';
import type { ChannelPairingStore, PairingRequest } from '@nexus/plugin-sdk';
import { MemoryLogger } from '../../../src/kernel/testing/index.js';
import { AccessGate } from '../../../src/builtin-plugins/telegram/access-gate.js';
import { AccountActivity } from '../../../src/builtin-plugins/telegram/account-activity.js';
import { readTelegramAccount, accessPolicyOf, type NormalisedMessage } from '../../../src/builtin-plugins/telegram/engine.js';

const dm = (senderId: string): NormalisedMessage => ({
  updateId: 1,
  chatId: Number(senderId),
  chatType: 'private',
  messageId: 7,
  senderId,
  mentioned: true,
  content: 'hi',
  attachments: [],
  conversationId: `main:${senderId}`,
  externalId: `${senderId}:7`,
  metadata: { sender_name: 'Ada' },
});

function gate(pairings: ChannelPairingStore | undefined, overrides: Record<string, unknown> = {}) {
  const logger = new MemoryLogger();
  const replies: string[] = [];
  const activity = new AccountActivity();
  const policy = accessPolicyOf(readTelegramAccount('main', { bot_token: '123:abcdefghijklmnopqrstuvwxyz', ...overrides }));
  const access = new AccessGate({ accountId: 'main', policy, pairings: async () => pairings, activity, logger, reply: async (_m, html) => void replies.push(html) });
  return { access, logger, replies, activity };
}

describe('AccessGate', () => {
  it('fails closed under pairing when no storage plugin provides pairings, saying how to fix it', async () => {
    const { access, logger, replies } = gate(undefined);
    expect(await access.admit(dm('42'))).toBe(false);
    expect(replies).toEqual([]);
    expect(logger.entries.find((e) => e.level === 'warn')?.msg).toBe(
      'dm_policy is pairing but no storage plugin provides channel pairings (nexus.store.channel-pairings), so the DM is refused; enable a storage plugin or use dm_policy: allowlist',
    );
  });

  it('lets allow_from senders in without asking the store', async () => {
    const untouchable = new Proxy({} as ChannelPairingStore, { get: () => () => Promise.reject(new Error('the store was asked')) });
    expect(await gate(untouchable, { allow_from: [42] }).access.admit(dm('42'))).toBe(true);
  });

  it('refuses when the store fails, rather than letting the sender in', async () => {
    const failing = { isApproved: async () => Promise.reject(new Error('database is locked')) } as unknown as ChannelPairingStore;
    await expect(gate(failing).access.admit(dm('42'))).rejects.toThrow('database is locked');
  });

  it('counts each code it sends, once per pending request', async () => {
    const pending: PairingRequest = { channel: 'telegram', accountId: 'main', senderId: '42', code: 'ABCDEFGH', status: 'pending', requestedAt: 0, expiresAt: 1 };
    let created = true;
    const store = { isApproved: async () => false, request: async () => ({ request: pending, created }) } as unknown as ChannelPairingStore;
    const { access, replies, activity } = gate(store);
    expect(await access.admit(dm('42'))).toBe(false);
    created = false;
    expect(await access.admit(dm('42'))).toBe(false);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain('<code>nexus channels pair approve telegram ABCDEFGH</code>');
    expect(activity.counters.pairingCodesSent).toBe(1);
  });
});
