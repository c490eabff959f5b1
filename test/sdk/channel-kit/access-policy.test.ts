import { describe, expect, it } from 'vitest';
import { accessPolicyProblems, decideAccess, type AccessPolicy } from '../../../plugin-sdk/src/channel/index.js';

const DEFAULTS: AccessPolicy = { dmPolicy: 'pairing', groupPolicy: 'allowlist', allowFrom: [], requireMention: true };
const dm = (policy: Partial<AccessPolicy>, extra: { senderId?: string; paired?: boolean } = {}) =>
  decideAccess({ chatType: 'direct', senderId: extra.senderId ?? '42', mentioned: false, paired: extra.paired, policy: { ...DEFAULTS, ...policy } });
const group = (policy: Partial<AccessPolicy>, extra: { senderId?: string; groupId?: string; mentioned?: boolean } = {}) =>
  decideAccess({ chatType: 'group', senderId: extra.senderId ?? '42', groupId: extra.groupId ?? '-100', mentioned: extra.mentioned ?? true, policy: { ...DEFAULTS, ...policy } });

describe('decideAccess: direct messages', () => {
  it('asks an unknown sender to pair by default, and lets a paired or listed one through', () => {
    expect(dm({})).toEqual({ decision: 'pair' });
    expect(dm({}, { paired: true })).toEqual({ decision: 'allow' });
    expect(dm({ allowFrom: ['42'] })).toEqual({ decision: 'allow' });
  });

  it('refuses senders missing from the allowlist without offering pairing', () => {
    expect(dm({ dmPolicy: 'allowlist', allowFrom: ['7'] })).toMatchObject({ decision: 'deny', reason: 'dm_not_allowed' });
    expect(dm({ dmPolicy: 'allowlist', allowFrom: ['7'] }, { paired: true })).toMatchObject({ decision: 'deny', reason: 'dm_not_allowed' });
    expect(dm({ dmPolicy: 'allowlist', allowFrom: ['42'] })).toEqual({ decision: 'allow' });
  });

  it('opens DMs only when allow_from says "*" explicitly', () => {
    expect(dm({ dmPolicy: 'open', allowFrom: ['*'] })).toEqual({ decision: 'allow' });
    expect(dm({ dmPolicy: 'open' })).toMatchObject({ decision: 'deny', reason: 'misconfigured' });
  });

  it('refuses every DM when disabled, even from listed senders', () => {
    expect(dm({ dmPolicy: 'disabled', allowFrom: ['42'] })).toMatchObject({ decision: 'deny', reason: 'dm_disabled' });
  });
});

describe('decideAccess: groups', () => {
  it('refuses groups nobody listed, by default', () => {
    expect(group({})).toMatchObject({ decision: 'deny', reason: 'group_not_allowed' });
  });

  it('lets a listed group or a listed sender through, when the bot is mentioned', () => {
    expect(group({ allowFrom: ['-100'] })).toEqual({ decision: 'allow' });
    expect(group({ allowFrom: ['42'] })).toEqual({ decision: 'allow' });
    expect(group({ allowFrom: ['-100'] }, { mentioned: false })).toMatchObject({ decision: 'deny', reason: 'mention_required' });
    expect(group({ allowFrom: ['-100'], requireMention: false }, { mentioned: false })).toEqual({ decision: 'allow' });
  });

  it('applies a per-group sender allowlist even under an open policy', () => {
    const policy = { groupPolicy: 'open' as const, groupAllowFrom: { '-100': ['7'] } };
    expect(group(policy)).toMatchObject({ decision: 'deny', reason: 'group_not_allowed' });
    expect(group(policy, { senderId: '7' })).toEqual({ decision: 'allow' });
    expect(group(policy, { groupId: '-200' })).toEqual({ decision: 'allow' });
  });

  it('never pairs in groups, and refuses all of them when disabled', () => {
    expect(group({ groupPolicy: 'disabled', allowFrom: ['*'] })).toMatchObject({ decision: 'deny', reason: 'group_disabled' });
    expect(decideAccess({ chatType: 'group', senderId: '1', mentioned: true, policy: DEFAULTS })).toMatchObject({ decision: 'deny', reason: 'misconfigured' });
  });
});

describe('accessPolicyProblems', () => {
  it('has nothing to say about the defaults but the empty group allowlist', () => {
    expect(accessPolicyProblems(DEFAULTS).map((p) => p.message)).toEqual(['group_policy is allowlist but nothing is allowed, so every group message is refused']);
  });

  it('warns on open DMs, on groups with no mention gate and on an empty DM allowlist; errors on open without "*"', () => {
    const levels = (policy: Partial<AccessPolicy>) => accessPolicyProblems({ ...DEFAULTS, allowFrom: ['1'], ...policy }).map((p) => `${p.level}: ${p.message.split(' ').slice(0, 4).join(' ')}`);
    expect(levels({ dmPolicy: 'open', allowFrom: ['*'] })).toEqual(['warning: dm_policy is open: anyone']);
    expect(levels({ dmPolicy: 'open' })).toEqual(['error: dm_policy is open but']);
    expect(levels({ dmPolicy: 'allowlist', allowFrom: [], groupPolicy: 'disabled' })).toEqual(['warning: dm_policy is allowlist but']);
    expect(levels({ requireMention: false })).toEqual(['warning: group_policy is allowlist with']);
  });
});
