/**
 * Whether a key names a credential: it ends in secret, token, password, key (api_key,
 * private_key…), credential, passphrase or authorization, or their plurals (`tokens`, `api_keys`). Ending, not containing, so
 * `token_expiry` or `keyboard_layout` stay readable. Used wherever values are shown, besides
 * the schema's own `writeOnly` marks.
 */
export function isCredentialKey(key: string): boolean {
  return /(secret|token|passw(or)?d|passphrase|key|credential|authorization)s?$/i.test(key);
}

/** The password in a URL's user-info (`postgres://user:pass@host`), which is a secret wherever it appears. */
export function urlPassword(value: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@\s]+)@/i.exec(value);
  return match?.[1];
}
