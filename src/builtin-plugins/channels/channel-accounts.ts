import type { ConfigAccess } from '@nexus/plugin-sdk';
import type { AccessPolicy, DmPolicy, GroupPolicy } from '@nexus/plugin-sdk/channel';

/** One configured account, `channels.<channel>.accounts.<name>`, with its access policy. */
export interface ConfiguredAccount {
  readonly channel: string;
  readonly name: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly policy: AccessPolicy;
}

/**
 * Every account of every channel in the effective config. Generic over channel plugins: each
 * owns `channels.<id>` and names its accounts under `accounts`; the policy keys (`dm_policy`,
 * `group_policy`, `allow_from`, `require_mention`, `group_allow_from`) are the ones issue 16
 * fixed for all of them. Missing keys take the fail-closed defaults the channel kit uses.
 */
export function configuredAccounts(config: ConfigAccess): ConfiguredAccount[] {
  const channels = config.section<Record<string, unknown>>('channels') ?? {};
  const accounts: ConfiguredAccount[] = [];
  for (const [channel, section] of Object.entries(channels).sort(([a], [b]) => a.localeCompare(b))) {
    const named = isRecord(section) && isRecord(section.accounts) ? section.accounts : {};
    for (const [name, settings] of Object.entries(named).sort(([a], [b]) => a.localeCompare(b))) {
      if (isRecord(settings)) accounts.push({ channel, name, settings, policy: policyOf(settings) });
    }
  }
  return accounts;
}

/** The accounts of one channel, by name. */
export function accountsOf(config: ConfigAccess, channel: string): ConfiguredAccount[] {
  return configuredAccounts(config).filter((a) => a.channel === channel);
}

const DM_POLICIES: readonly DmPolicy[] = ['pairing', 'allowlist', 'open', 'disabled'];
const GROUP_POLICIES: readonly GroupPolicy[] = ['allowlist', 'open', 'disabled'];

export function policyOf(settings: Readonly<Record<string, unknown>>): AccessPolicy {
  const dm = DM_POLICIES.find((p) => p === settings.dm_policy) ?? 'pairing';
  const group = GROUP_POLICIES.find((p) => p === settings.group_policy) ?? 'allowlist';
  const groupAllowFrom = isRecord(settings.group_allow_from)
    ? Object.fromEntries(Object.entries(settings.group_allow_from).map(([group, list]) => [group, ids(list)]))
    : undefined;
  return {
    dmPolicy: dm,
    groupPolicy: group,
    allowFrom: ids(settings.allow_from),
    requireMention: settings.require_mention !== false,
    ...(groupAllowFrom ? { groupAllowFrom } : {}),
  };
}

/** `allow_from` may hold numbers (Telegram ids) or strings; compared as text. */
function ids(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v) => typeof v === 'string' || typeof v === 'number').map(String) : [];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
