/** What replaces a secret. */
export const REDACTED = '[redacted]';

/** Names that mark the value after `=` or `:` as a secret (`password=…`, `"api_key": "…"`, `DB_PASSWORD: …`). */
const SECRET_NAME = String.raw`[A-Za-z0-9_.-]*(?:password|passwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?)[A-Za-z0-9_.-]*`;

/**
 * Secret shapes, most specific first. A false positive costs a word of a note; a false negative
 * leaks a credential into a plain-text file that is indexed and may be sent to an embeddings
 * provider, so the patterns lean towards redacting.
 */
const PATTERNS: readonly (readonly [RegExp, string])[] = [
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, `${REDACTED} private key`],
  // Credentials inside a URL: keep the user, drop the password.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/]+):[^\s@/]+@/gi, `$1:${REDACTED}@`],
  [/\b(Bearer|Basic|Token|Bot)(\s+)[A-Za-z0-9._~+/=-]{8,}/g, `$1$2${REDACTED}`],
  [/\b(bearer|basic)(\s+)[A-Za-z0-9._~+/=-]{16,}/gi, `$1$2${REDACTED}`],
  // Quoted or bare values after a secret-looking name.
  [new RegExp(String.raw`(["']?\b${SECRET_NAME}["']?)(\s*[=:]\s*)("[^"\n]*"|'[^'\n]*'|[^\s,;&"'\`]+)`, 'gi'), `$1$2${REDACTED}`],
  // Provider keys and tokens with a recognisable prefix.
  [/\bsk-(?:ant-|proj-|or-|live-|test-)?[A-Za-z0-9_-]{16,}/g, REDACTED],
  [/\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}/g, REDACTED],
  [/\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}/g, REDACTED],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/g, REDACTED],
  [/\bglpat-[A-Za-z0-9_-]{20,}/g, REDACTED],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/g, REDACTED],
  [/\bxapp-[A-Za-z0-9-]{10,}/g, REDACTED],
  [/\bnpm_[A-Za-z0-9]{36}\b/g, REDACTED],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, REDACTED],
  [/\bAIza[0-9A-Za-z_-]{35}\b/g, REDACTED],
  // Telegram bot tokens: <bot id>:<35 characters>.
  [/\b\d{6,12}:AA[A-Za-z0-9_-]{30,}/g, REDACTED],
  // Discord bot tokens: three base64url parts.
  [/\b[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,}/g, REDACTED],
  // JSON Web Tokens.
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, REDACTED],
];

/** `text` with API keys, bearer tokens, `password=…` values, URL passwords and private keys replaced by `[redacted]`. */
export function redactSecrets(text: string): string {
  let result = text;
  for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
  return result;
}
