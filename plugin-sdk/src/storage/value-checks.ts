import { STORE_LIMITS, ValidationError } from '../contracts/index.js';
import { isUuid } from './uuid-v7.js';

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text every backend can store: a string of well-formed Unicode (a lone surrogate has no UTF-8
 * encoding) without NUL characters (PostgreSQL text and JSONB reject U+0000).
 */
export function checkText(field: string, value: unknown, options: { readonly maxChars?: number; readonly maxBytes?: number; readonly allowEmpty?: boolean } = {}): string {
  if (typeof value !== 'string') throw new ValidationError(field, `must be a string, not ${describe(value)}`);
  if (!options.allowEmpty && value.length === 0) throw new ValidationError(field, 'must not be empty');
  if (options.maxChars !== undefined && value.length > options.maxChars) {
    throw new ValidationError(field, `is ${value.length} characters long; the limit is ${options.maxChars}`);
  }
  if (options.maxBytes !== undefined && value.length > options.maxBytes / 3) {
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes > options.maxBytes) throw new ValidationError(field, `is ${bytes} bytes of UTF-8; the limit is ${options.maxBytes}`);
  }
  checkWellFormed(field, value);
  return value;
}

export function checkOptionalText(field: string, value: unknown, maxChars: number = STORE_LIMITS.shortTextChars): string | undefined {
  return value === undefined || value === null ? undefined : checkText(field, value, { maxChars, allowEmpty: true });
}

/** A short identifier-like field: non-empty, at most `STORE_LIMITS.shortTextChars`. */
export function checkName(field: string, value: unknown): string {
  return checkText(field, value, { maxChars: STORE_LIMITS.shortTextChars });
}

/** A UUID, lower-cased so that every backend compares it the same way. */
export function checkId(field: string, value: unknown): string {
  if (!isUuid(value)) throw new ValidationError(field, `${JSON.stringify(typeof value === 'string' ? value.slice(0, 80) : value) ?? String(value)} is not a UUID`);
  return value.toLowerCase();
}

export function checkPlainObject(field: string, value: unknown): Readonly<Record<string, unknown>> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) throw new ValidationError(field, `must be a plain object, not ${describe(value)}`);
  return value;
}

/**
 * Whether `value` is text every backend can store. The common case: `isWellFormed` answers at
 * once for strings V8 holds as one byte per character and is several times cheaper than the
 * regular expression, so the regular expression only runs to name what is wrong.
 */
export function isStorableText(value: string): boolean {
  return (value as unknown as WellFormedString).isWellFormed() && value.indexOf('\u0000') < 0;
}

/** `String.prototype.isWellFormed` (Node 20+), which the ES2023 library types do not declare yet. */
interface WellFormedString {
  isWellFormed(): boolean;
}

/** Throws, naming the first lone surrogate or NUL character, unless `value` is storable text. */
export function checkWellFormed(field: string, value: string): void {
  if (isStorableText(value)) return;
  const lone = LONE_SURROGATE.exec(value);
  if (lone) {
    throw new ValidationError(field, `is not valid Unicode: a lone surrogate U+${lone[0].charCodeAt(0).toString(16).toUpperCase()} at index ${lone.index} has no UTF-8 encoding`);
  }
  const nul = value.indexOf('\u0000');
  if (nul >= 0) throw new ValidationError(field, `contains a NUL character (U+0000) at index ${nul}, which PostgreSQL cannot store; strip or escape it first`);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `a ${(value as object).constructor?.name ?? 'object'}`;
  return `${typeof value} ${String(value).slice(0, 40)}`;
}
