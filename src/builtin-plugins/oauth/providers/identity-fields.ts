import { STORE_LIMITS } from '@nexus/plugin-sdk';

const MAX_EMAIL_CHARS = 320;
const MAX_NAME_CHARS = 200;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A provider's user id as stored: a non-empty string, or a safe integer written in decimal. */
export function providerUserId(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const id = value.trim();
  return id !== '' && id.length <= STORE_LIMITS.shortTextChars && !CONTROL.test(id) && wellFormed(id) ? id : undefined;
}

/**
 * An email the provider verified, or undefined. Only verified addresses are passed on: the user
 * store links a sign-in to an existing user by email, so an address nobody proved to own would
 * let its claimant take over that user.
 */
export function verifiedEmail(value: unknown, verified: boolean): string | undefined {
  if (!verified || typeof value !== 'string') return undefined;
  const email = value.trim();
  return email.length <= MAX_EMAIL_CHARS && /^[^\s@]+@[^\s@]+$/.test(email) && !CONTROL.test(email) && wellFormed(email) ? email : undefined;
}

/** A display name: control characters removed, cut to a sane length; undefined when empty. */
export function displayName(...candidates: unknown[]): string | undefined {
  for (const candidate of candidates) {
    if (typeof candidate !== 'string') continue;
    const name = candidate.replace(new RegExp(`${CONTROL.source}+`, 'g'), ' ').trim();
    if (name === '' || !wellFormed(name)) continue;
    // Cut by code points, so a surrogate pair is never split.
    const chars = Array.from(name);
    return chars.length > MAX_NAME_CHARS ? chars.slice(0, MAX_NAME_CHARS).join('') : name;
  }
  return undefined;
}

/** No lone surrogates: every store takes only well-formed Unicode. */
function wellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}
