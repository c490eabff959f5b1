import type { DmPolicy, GroupPolicy } from '@nexus/plugin-sdk/channel';

/** `channels.telegram.accounts.<name>` with the schema's defaults applied (see account-schema.ts). */
export interface TelegramAccountConfig {
  readonly bot_token: string;
  readonly api_base_url: string;
  readonly mode: 'polling' | 'webhook';
  readonly webhook_url?: string;
  readonly webhook_secret?: string;
  readonly dm_policy: DmPolicy;
  readonly group_policy: GroupPolicy;
  /** Normalised to strings: YAML may give ids as numbers. */
  readonly allow_from: readonly string[];
  /** Per-group sender allowlists, by group id; ids normalised to strings like `allow_from`. */
  readonly group_allow_from: Readonly<Record<string, readonly string[]>>;
  readonly require_mention: boolean;
  readonly max_attachment_bytes: number;
}

/** A config problem, with where it is and how to fix it. */
export class TelegramConfigError extends Error {
  constructor(
    readonly pointer: string,
    problem: string,
  ) {
    super(`${pointer}: ${problem}`);
    this.name = 'TelegramConfigError';
  }
}

const DEFAULTS = {
  api_base_url: 'https://api.telegram.org',
  mode: 'polling',
  dm_policy: 'pairing',
  group_policy: 'allowlist',
  allow_from: [],
  require_mention: true,
  max_attachment_bytes: 10 * 1024 * 1024,
} as const;

/**
 * One account's settings from the raw section. The kernel has already validated the section
 * against the schema; this applies the defaults for a host that did not, normalises ids, and
 * re-checks what the engine cannot run without, naming the key at fault.
 */
export function readTelegramAccount(accountId: string, raw: unknown): TelegramAccountConfig {
  const at = `channels.telegram.accounts.${accountId}`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new TelegramConfigError(at, 'must be a mapping with at least bot_token');
  const value = raw as Record<string, unknown>;
  const token = value.bot_token;
  if (typeof token !== 'string' || token.trim() === '') throw new TelegramConfigError(`${at}.bot_token`, 'is required: the token @BotFather gave, for example bot_token: ${TELEGRAM_BOT_TOKEN}');
  if (!/^\d+:[\w-]+$/.test(token.trim())) throw new TelegramConfigError(`${at}.bot_token`, 'does not look like a bot token ("<bot id>:<secret>"); copy it again from @BotFather (/token)');
  const base = String(value.api_base_url ?? DEFAULTS.api_base_url).replace(/\/+$/, '');
  if (!/^https?:\/\//.test(base)) throw new TelegramConfigError(`${at}.api_base_url`, `must be an http(s) URL, got "${base}"`);
  const mode = (value.mode ?? DEFAULTS.mode) as TelegramAccountConfig['mode'];
  if (mode !== 'polling' && mode !== 'webhook') throw new TelegramConfigError(`${at}.mode`, `must be polling or webhook, got "${String(mode)}"`);
  if (mode === 'webhook') {
    if (typeof value.webhook_url !== 'string' || value.webhook_url === '') throw new TelegramConfigError(`${at}.webhook_url`, 'is required in webhook mode: the public HTTPS URL Telegram posts updates to');
    if (typeof value.webhook_secret !== 'string' || !/^[A-Za-z0-9_-]{1,256}$/.test(value.webhook_secret)) {
      throw new TelegramConfigError(`${at}.webhook_secret`, 'is required in webhook mode: 1-256 of A-Z, a-z, 0-9, _ and -; generate one with `openssl rand -hex 32`');
    }
  }
  const allowFrom = Array.isArray(value.allow_from) ? value.allow_from.map((id) => String(id)) : [...DEFAULTS.allow_from];
  const perGroup = value.group_allow_from ?? {};
  if (typeof perGroup !== 'object' || perGroup === null || Array.isArray(perGroup)) throw new TelegramConfigError(`${at}.group_allow_from`, 'must be a mapping of group ids to lists of sender ids, for example group_allow_from: {"-1001234567890": [123456789]}');
  const groupAllowFrom: Record<string, readonly string[]> = {};
  for (const [group, ids] of Object.entries(perGroup as Record<string, unknown>)) {
    if (!Array.isArray(ids)) throw new TelegramConfigError(`${at}.group_allow_from.${group}`, 'must be a list of Telegram user ids allowed in that group');
    groupAllowFrom[group] = ids.map((id) => String(id));
  }
  const maxBytes = value.max_attachment_bytes ?? DEFAULTS.max_attachment_bytes;
  if (typeof maxBytes !== 'number' || !Number.isInteger(maxBytes) || maxBytes < 0) throw new TelegramConfigError(`${at}.max_attachment_bytes`, 'must be a whole number of bytes, 0 or more');
  return {
    bot_token: token.trim(),
    api_base_url: base,
    mode,
    ...(typeof value.webhook_url === 'string' ? { webhook_url: value.webhook_url } : {}),
    ...(typeof value.webhook_secret === 'string' ? { webhook_secret: value.webhook_secret } : {}),
    dm_policy: (value.dm_policy ?? DEFAULTS.dm_policy) as DmPolicy,
    group_policy: (value.group_policy ?? DEFAULTS.group_policy) as GroupPolicy,
    allow_from: allowFrom,
    group_allow_from: groupAllowFrom,
    require_mention: (value.require_mention ?? DEFAULTS.require_mention) as boolean,
    max_attachment_bytes: maxBytes,
  };
}

/** The bot's id, the part of the token before the colon: the same bot whatever token it has now. */
export function botIdOf(token: string): string {
  return token.split(':', 1)[0]!;
}
