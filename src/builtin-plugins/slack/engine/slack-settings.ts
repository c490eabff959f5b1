export type DmPolicy = 'pairing' | 'allowlist' | 'open' | 'disabled';
export type GroupPolicy = 'allowlist' | 'open' | 'disabled';

/** One account, `channels.slack.accounts.<name>`, after validation by `SLACK_ACCOUNT_SCHEMA`. */
export interface SlackAccountSettings {
  readonly bot_token: string;
  readonly app_token: string;
  /** Always ends with `/`, as the WebClient's `slackApiUrl` needs. */
  readonly api_base_url: string;
  readonly dm_policy: DmPolicy;
  readonly group_policy: GroupPolicy;
  readonly allow_from: readonly string[];
  /** Per-group sender allowlists, by group (channel) id. */
  readonly group_allow_from: Readonly<Record<string, readonly string[]>>;
  readonly require_mention: boolean;
  readonly max_attachment_bytes: number;
}

export const SLACK_API_BASE_URL = 'https://slack.com/api/';

/** The schema's defaults, applied to a validated account (the kernel applies them too; a bare host may not). */
export function slackAccountSettings(account: Partial<SlackAccountSettings>): SlackAccountSettings {
  const base = account.api_base_url ?? SLACK_API_BASE_URL;
  return {
    bot_token: account.bot_token ?? '',
    app_token: account.app_token ?? '',
    api_base_url: base.endsWith('/') ? base : `${base}/`,
    dm_policy: account.dm_policy ?? 'pairing',
    group_policy: account.group_policy ?? 'allowlist',
    allow_from: account.allow_from ?? [],
    group_allow_from: account.group_allow_from ?? {},
    require_mention: account.require_mention ?? true,
    max_attachment_bytes: account.max_attachment_bytes ?? 10_485_760,
  };
}
