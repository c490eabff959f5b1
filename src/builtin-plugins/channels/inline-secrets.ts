import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { isRecord } from './channel-accounts.js';

/**
 * Credential keys of a channel account: `bot_token`, `app_token`, `signing_secret`, `secret`,
 * `webhook_secret`, `client_secret`, `password`, `api_key`. Matched by name, since this check
 * is generic over channel plugins whose schemas it does not load.
 */
const CREDENTIAL_KEY = /(^|_)(token|secret|password|api_key)$/;

/** A credential written into the config file itself rather than taken from the environment. */
export interface InlineSecret {
  readonly pointer: string;
}

/**
 * Which channel account credentials the config file spells out instead of `${VAR}`. Reads the
 * file as written (before interpolation), since the effective config no longer shows the
 * difference. No file (defaults only, or settings from the environment): nothing inline.
 */
export function inlineChannelSecrets(path: string | undefined): InlineSecret[] {
  if (!path) return [];
  let document: unknown;
  try {
    document = parse(readFileSync(path, 'utf8'));
  } catch {
    // An unreadable or broken file is reported by the kernel's own config checks.
    return [];
  }
  const channels = isRecord(document) ? document.channels : undefined;
  if (!isRecord(channels)) return [];
  const found: InlineSecret[] = [];
  for (const [channel, section] of Object.entries(channels)) {
    if (!isRecord(section) || !isRecord(section.accounts)) continue;
    for (const [account, settings] of Object.entries(section.accounts)) {
      if (!isRecord(settings)) continue;
      for (const [key, value] of Object.entries(settings)) {
        if (CREDENTIAL_KEY.test(key) && typeof value === 'string' && value.length > 0 && !value.includes('${')) {
          found.push({ pointer: `channels.${channel}.accounts.${account}.${key}` });
        }
      }
    }
  }
  return found;
}
