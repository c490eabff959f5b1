import { isCredentialKey } from '../schema/index.js';
const KEY_VALUE = /^(\s*(?:-\s+)?)("[^"]*"|'[^']*'|[^\s:#'"][^:#]*?)(\s*:\s+)(.*)$/;
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)([^@\s]+)(@)/gi;
const INLINE_SECRET = /([\w-]*(?:key|token|secret|password|passwd|passphrase|credentials?))(["']?\s*:\s*)("[^"]*"|'[^']*'|[^,}\]\s][^,}\]]*)/gi;
const PLACEHOLDER = '<redacted>';

/**
 * Config text made safe to print (doctor shows migration diffs): values of secret-looking keys
 * and passwords inside URLs become <redacted>, block scalars under a secret key included.
 * A bare `${VAR}` reference is kept: it names a variable and holds no secret (a default might).
 */
export function redactConfigText(text: string): string {
  const lines = text.split('\n');
  let blockIndent: number | undefined;
  return lines
    .map((line) => {
      const indent = line.length - line.trimStart().length;
      if (blockIndent !== undefined) {
        if (line.trim() === '' || indent > blockIndent) return line.trim() === '' ? line : `${line.slice(0, indent)}${PLACEHOLDER}`;
        blockIndent = undefined;
      }
      const redactedUrls = line.replace(URL_USERINFO, `$1${PLACEHOLDER}$3`);
      const match = KEY_VALUE.exec(redactedUrls);
      if (!match) return redactedUrls;
      const [, lead, rawKey, colon, value] = match as unknown as [string, string, string, string, string];
      const key = rawKey.replace(/^["']|["']$/g, '').trim();
      if (!isCredentialKey(key) || value.trim() === '') {
        return /^[{[]/.test(value.trim()) ? `${lead}${rawKey}${colon}${redactFlow(value)}` : redactedUrls;
      }
      if (/^[|>][0-9+-]*\s*(#.*)?$/.test(value.trim())) {
        blockIndent = indent;
        return redactedUrls;
      }
      if (/^["']?\$\{[A-Za-z_][A-Za-z0-9_]*\}["']?\s*(#.*)?$/.test(value.trim())) return redactedUrls;
      return `${lead}${rawKey}${colon}${PLACEHOLDER}${trailingComment(value)}`;
    })
    .join('\n');
}

/** `{api_key: sk-1, model: x}` → `{api_key: <redacted>, model: x}`. */
function redactFlow(value: string): string {
  return value.replace(INLINE_SECRET, (match, key: string, colon: string, secret: string) =>
    /^["']?\$\{[A-Za-z_][A-Za-z0-9_]*\}["']?$/.test(secret.trim()) ? match : `${key}${colon}${PLACEHOLDER}`,
  );
}

/** The ` # comment` after a scalar; a quoted scalar may itself hold " #", so look past its closing quote. */
function trailingComment(value: string): string {
  const quote = value[0] === '"' || value[0] === "'" ? value[0] : undefined;
  const rest = quote ? value.slice(value.indexOf(quote, 1) + 1) : value;
  if (quote && value.indexOf(quote, 1) < 0) return '';
  return /\s+#.*$/.exec(rest)?.[0] ?? '';
}
