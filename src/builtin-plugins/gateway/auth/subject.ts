/** The longest user id a credential may carry. */
export const MAX_SUBJECT_CHARS = 256;

// Control characters (C0 and C1, NUL and DEL among them), as a Unicode property.
const CONTROL = /\p{Cc}/u;

/**
 * What is wrong with `value` as the user id a credential acts as (a JWT's `sub`, an API key's
 * user), or undefined when nothing is: it must be a non-empty string of at most
 * `MAX_SUBJECT_CHARS` well-formed characters, none of them a control character. Ids become
 * session owners and keys, and end up in logs, so odd ones are refused rather than stored.
 */
export function subjectProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `must be a string, not ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`;
  if (value.trim() === '') return 'is empty';
  if (value.length > MAX_SUBJECT_CHARS) return `is ${value.length} characters long; the limit is ${MAX_SUBJECT_CHARS}`;
  const control = CONTROL.exec(value);
  if (control) return `contains the control character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at index ${control.index}`;
  if (!(value as unknown as { isWellFormed(): boolean }).isWellFormed()) return 'is not well-formed Unicode (it holds a lone surrogate)';
  return undefined;
}
