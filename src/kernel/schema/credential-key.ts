/**
 * Whether a key names a credential: it ends in secret, token, password, key (api_key,
 * private_key…), credential(s), passphrase or authorization. Ending, not containing, so
 * `token_expiry` or `keyboard_layout` stay readable. Used wherever values are shown, besides
 * the schema's own `writeOnly` marks.
 */
export function isCredentialKey(key: string): boolean {
  return /(secret|token|passw(or)?d|passphrase|key|credentials?|authorization)$/i.test(key);
}
