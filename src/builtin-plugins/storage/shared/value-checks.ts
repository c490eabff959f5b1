import { STORE_LIMITS, ValidationError } from '../../../contracts/index.js';
import { isUuid } from './uuid-v7.js';

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MAX_JSON_DEPTH = 64;

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

/**
 * A JSON value as the stores keep it, serialized: plain objects, arrays, strings, finite numbers,
 * booleans and null, each string well-formed. Returns the JSON text.
 */
export function checkJson(field: string, value: unknown, maxBytes: number = STORE_LIMITS.jsonBytes): string {
  walkJson(field, value, 0, field);
  const text = JSON.stringify(value) ?? 'null';
  if (text.length > maxBytes / 3 && Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw new ValidationError(field, `is ${Buffer.byteLength(text, 'utf8')} bytes as JSON; the limit is ${maxBytes}`);
  }
  return text;
}

export function checkPlainObject(field: string, value: unknown): Readonly<Record<string, unknown>> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) throw new ValidationError(field, `must be a plain object, not ${describe(value)}`);
  return value;
}

function walkJson(path: string, value: unknown, depth: number, root: string): void {
  // Named by its root: the path into a self-referencing value would be 64 levels long.
  if (depth > MAX_JSON_DEPTH) throw new ValidationError(root, `nests deeper than ${MAX_JSON_DEPTH} levels (or refers to itself)`);
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'string') return checkWellFormed(path, value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ValidationError(path, `${value} is not a JSON number`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => walkJson(`${path}[${i}]`, item, depth + 1, root));
    return;
  }
  if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      checkWellFormed(`${path} key`, key);
      // JSON drops undefined properties; so does the store.
      if (item !== undefined) walkJson(`${path}.${key}`, item, depth + 1, root);
    }
    return;
  }
  throw new ValidationError(path, `${describe(value)} cannot be stored as JSON`);
}

function checkWellFormed(field: string, value: string): void {
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

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `a ${(value as object).constructor?.name ?? 'object'}`;
  return `${typeof value} ${String(value).slice(0, 40)}`;
}
