import { randomBytes } from 'node:crypto';

/** Marks a string as a Nexus API key, so secret scanners and people recognise one. */
export const API_KEY_PREFIX = 'nxk_';

/** A new API key: the prefix and 32 random bytes, base64url (URL-safe, 47 characters). */
export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}
