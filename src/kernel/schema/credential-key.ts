/**
 * Whether a key names a credential: it ends in secret, token, password, key (api_key,
 * private_key…), credential, passphrase or authorization, or their plurals (`tokens`, `api_keys`). Ending, not containing, so
 * `token_expiry` or `keyboard_layout` stay readable. Used wherever values are shown, besides
 * the schema's own `writeOnly` marks.
 */
export function isCredentialKey(key: string): boolean {
  return /(secret|token|passw(or)?d|passphrase|key|credential|authorization)s?$/i.test(key);
}

const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)([^@\s]+)@/i;
/** A query parameter whose name names a credential (`?password=`, `&api_key=`, `&sslpassword=`). */
const SECRET_PARAM = /([?&])([^=&#\s]+)=([^&#\s]*)/g;

/**
 * The credentials inside a URL, which are secrets wherever the URL appears: the password of its
 * user-info (`postgres://user:pass@host`) and the values of query parameters named like credentials.
 */
export function urlSecrets(value: string): string[] {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return [];
  const found = [URL_PASSWORD.exec(value)?.[2]];
  for (const [, , name, secret] of value.matchAll(SECRET_PARAM)) if (isCredentialKey(decodeURIComponent(name!)) && secret) found.push(secret);
  return found.filter((s): s is string => s !== undefined && s !== '');
}

/** A URL with its credentials (see `urlSecrets`) masked as `***`, the rest of it left readable. */
export function maskUrlSecrets(value: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  return value
    .replace(URL_PASSWORD, '$1***@')
    .replace(SECRET_PARAM, (whole, sep: string, name: string, secret: string) => (secret && isCredentialKey(decodeURIComponent(name)) ? `${sep}${name}=***` : whole));
}
