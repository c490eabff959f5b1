/**
 * Who may talk to the agent through a channel account, as one pure decision shared by every
 * channel. Direct messages: `pairing` (unknown senders get a one-time code for the operator to
 * approve), `allowlist`, `open` or `disabled`. Groups: `allowlist`, `open` or `disabled`, with
 * an optional mention gate. The defaults (`pairing`, `allowlist`, mention required) fail closed.
 */

export type DmPolicy = 'pairing' | 'allowlist' | 'open' | 'disabled';
export type GroupPolicy = 'allowlist' | 'open' | 'disabled';

export interface AccessPolicy {
  readonly dmPolicy: DmPolicy;
  readonly groupPolicy: GroupPolicy;
  /**
   * Sender ids allowed in DMs and in any group, group ids whose every member is allowed, or
   * "*" for everyone. `open` DMs require "*", so opening them is always explicit.
   */
  readonly allowFrom: readonly string[];
  /** In groups, answer only messages that mention the bot (or reply to it). */
  readonly requireMention: boolean;
  /** Per-group sender allowlists, keyed by group id: when one is set, only its senders pass in that group. */
  readonly groupAllowFrom?: Readonly<Record<string, readonly string[]>>;
}

/**
 * The policy keys of a channel account, named alike in every channel's config
 * (`channels.<id>.accounts.<name>`): `dm_policy`, `group_policy`, `allow_from`,
 * `require_mention` and `group_allow_from`.
 */
export interface AccessPolicySettings {
  readonly dm_policy: DmPolicy;
  readonly group_policy: GroupPolicy;
  readonly allow_from: readonly string[];
  readonly require_mention: boolean;
  readonly group_allow_from?: Readonly<Record<string, readonly string[]>>;
}

/** The access policy an account's settings give. */
export function accessPolicyOfSettings(settings: AccessPolicySettings): AccessPolicy {
  return {
    dmPolicy: settings.dm_policy,
    groupPolicy: settings.group_policy,
    allowFrom: settings.allow_from,
    requireMention: settings.require_mention,
    ...(settings.group_allow_from ? { groupAllowFrom: settings.group_allow_from } : {}),
  };
}

export interface AccessRequest {
  readonly chatType: 'direct' | 'group';
  readonly senderId: string;
  /** The group's id; required for group messages. */
  readonly groupId?: string;
  /** Whether the message mentions the bot or replies to it. */
  readonly mentioned: boolean;
  /** Whether the operator approved this sender by pairing. */
  readonly paired?: boolean;
  readonly policy: AccessPolicy;
}

export type DenyReason = 'dm_disabled' | 'dm_not_allowed' | 'group_disabled' | 'group_not_allowed' | 'mention_required' | 'misconfigured';

export type AccessDecision =
  | { readonly decision: 'allow' }
  /** Unknown DM sender under `pairing`: issue a code, do not run the agent. */
  | { readonly decision: 'pair' }
  | { readonly decision: 'deny'; readonly reason: DenyReason; readonly message: string };

const ALLOW: AccessDecision = { decision: 'allow' };
const deny = (reason: DenyReason, message: string): AccessDecision => ({ decision: 'deny', reason, message });

export function decideAccess(request: AccessRequest): AccessDecision {
  const { policy, senderId } = request;
  const listed = (list: readonly string[] | undefined, ...ids: (string | undefined)[]) => list !== undefined && (list.includes('*') || ids.some((id) => id !== undefined && list.includes(id)));

  if (request.chatType === 'direct') {
    switch (policy.dmPolicy) {
      case 'disabled':
        return deny('dm_disabled', 'direct messages are disabled (dm_policy: disabled)');
      case 'open':
        return policy.allowFrom.includes('*') ? ALLOW : deny('misconfigured', 'dm_policy is open but allow_from does not include "*"; refusing until the intent is explicit');
      case 'allowlist':
        return listed(policy.allowFrom, senderId) ? ALLOW : deny('dm_not_allowed', `sender ${senderId} is not in allow_from (dm_policy: allowlist)`);
      case 'pairing':
        return listed(policy.allowFrom, senderId) || request.paired === true ? ALLOW : { decision: 'pair' };
    }
  }

  const groupId = request.groupId;
  if (groupId === undefined) return deny('misconfigured', 'a group message without a group id cannot be checked against group_policy');
  if (policy.groupPolicy === 'disabled') return deny('group_disabled', 'group messages are disabled (group_policy: disabled)');
  const perGroup = policy.groupAllowFrom?.[groupId];
  if (perGroup !== undefined) {
    if (!listed(perGroup, senderId)) return deny('group_not_allowed', `sender ${senderId} is not in the allowlist of group ${groupId}`);
  } else if (policy.groupPolicy === 'allowlist' && !listed(policy.allowFrom, senderId, groupId)) {
    return deny('group_not_allowed', `neither group ${groupId} nor sender ${senderId} is in allow_from (group_policy: allowlist)`);
  }
  if (policy.requireMention && !request.mentioned) return deny('mention_required', 'the message does not mention the bot (require_mention: true)');
  return ALLOW;
}

export interface PolicyProblem {
  readonly level: 'error' | 'warning';
  readonly message: string;
  readonly hint: string;
}

/** What `doctor` says about a policy: the settings that lock everyone out or let everyone in. */
export function accessPolicyProblems(policy: AccessPolicy): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const wildcard = policy.allowFrom.includes('*');
  if (policy.dmPolicy === 'open' && !wildcard) {
    problems.push({ level: 'error', message: 'dm_policy is open but allow_from does not include "*", so every DM is refused', hint: 'add "*" to allow_from to open DMs to anyone, or use dm_policy: pairing' });
  } else if (policy.dmPolicy === 'open') {
    problems.push({ level: 'warning', message: 'dm_policy is open: anyone who finds the bot can run the agent', hint: 'use dm_policy: pairing and approve people with `nexus channels pair approve`' });
  }
  if (policy.dmPolicy === 'allowlist' && policy.allowFrom.length === 0) {
    problems.push({ level: 'warning', message: 'dm_policy is allowlist but allow_from is empty, so every DM is refused', hint: 'list the sender ids in allow_from' });
  }
  if (policy.groupPolicy === 'allowlist' && policy.allowFrom.length === 0 && Object.keys(policy.groupAllowFrom ?? {}).length === 0) {
    problems.push({ level: 'warning', message: 'group_policy is allowlist but nothing is allowed, so every group message is refused', hint: 'list group or sender ids in allow_from, or set group_policy: disabled' });
  }
  if (policy.groupPolicy !== 'disabled' && !policy.requireMention) {
    problems.push({ level: 'warning', message: `group_policy is ${policy.groupPolicy} with require_mention: false, so the agent answers every group message it sees`, hint: 'set require_mention: true' });
  }
  return problems;
}
