export type DmPolicy = 'pairing' | 'allowlist' | 'open' | 'disabled';
export type GroupPolicy = 'allowlist' | 'open' | 'disabled';

/** One account, `channels.discord.accounts.<name>`, after validation by `DISCORD_ACCOUNT_SCHEMA`. */
export interface DiscordAccountSettings {
  readonly bot_token: string;
  /** Without a trailing slash, as `@discordjs/rest`'s `api` option needs (it appends `/v10`). */
  readonly api_base_url: string;
  readonly dm_policy: DmPolicy;
  readonly group_policy: GroupPolicy;
  readonly allow_from: readonly string[];
  /** Per-group sender allowlists, by group (channel) id. */
  readonly group_allow_from: Readonly<Record<string, readonly string[]>>;
  readonly require_mention: boolean;
  readonly max_attachment_bytes: number;
}

export const DISCORD_API_BASE_URL = 'https://discord.com/api';

/** The schema's defaults, applied to a validated account (the kernel applies them too; a bare host may not). */
export function discordAccountSettings(account: Partial<DiscordAccountSettings>): DiscordAccountSettings {
  return {
    bot_token: account.bot_token ?? '',
    api_base_url: (account.api_base_url ?? DISCORD_API_BASE_URL).replace(/\/+$/, '').replace(/\/v\d+$/, ''),
    dm_policy: account.dm_policy ?? 'pairing',
    group_policy: account.group_policy ?? 'allowlist',
    allow_from: account.allow_from ?? [],
    group_allow_from: account.group_allow_from ?? {},
    require_mention: account.require_mention ?? true,
    max_attachment_bytes: account.max_attachment_bytes ?? 10_485_760,
  };
}
