import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * API keys are high-entropy secrets, so a plain SHA-256 is enough (no salt or slow hash needed):
 * it cannot be reversed, and looking a key up by its hash leaks nothing an attacker can steer.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Compares two hex hashes in constant time, so response timing says nothing about how close a guess was. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Said when a new key's value is already stored; the value itself is a secret and never echoed. */
export const API_KEY_TAKEN = 'an API key with this value already exists; generate a new random key';
