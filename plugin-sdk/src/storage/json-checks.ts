import { STORE_LIMITS, ValidationError } from '../contracts/index.js';
import { checkWellFormed, describe, isPlainObject, isStorableText } from './value-checks.js';

const MAX_JSON_DEPTH = 64;
const EMPTY_ARRAY: readonly never[] = Object.freeze([]);
const EMPTY_OBJECT: Readonly<Record<string, never>> = Object.freeze({});

/**
 * A JSON value as the stores keep it, serialized: plain objects, arrays, strings, finite numbers,
 * booleans and null, each string well-formed. Returns the JSON text.
 */
export function checkJson(field: string, value: unknown, maxBytes: number = STORE_LIMITS.jsonBytes): string {
  new JsonWalk(field, false).visit(value, field, undefined, 0);
  const text = JSON.stringify(value) ?? 'null';
  checkJsonBytes(field, text, maxBytes);
  return text;
}

/**
 * The same check as `checkJson`, refusing the same values with the same errors, but returning a
 * deep-frozen copy equal to `JSON.parse(checkJson(field, value))` (undefined properties dropped,
 * holes as null, -0 as 0) instead of the text. The memory store keeps this: serializing each
 * message's JSON and parsing it straight back was most of what an append cost.
 */
export function checkFrozenJson(field: string, value: unknown, maxBytes: number = STORE_LIMITS.jsonBytes): unknown {
  const walk = new JsonWalk(field, true);
  const copy = walk.visit(value, field, undefined, 0);
  // Only a value that might be over the limit is serialized, to count its bytes exactly.
  if (walk.maxBytes > maxBytes) checkJsonBytes(field, JSON.stringify(copy), maxBytes);
  return copy;
}

function checkJsonBytes(field: string, text: string, maxBytes: number): void {
  if (text.length > maxBytes / 3 && Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw new ValidationError(field, `is ${Buffer.byteLength(text, 'utf8')} bytes as JSON; the limit is ${maxBytes}`);
  }
}

/**
 * One walk over a value: checks it is storable JSON and, when `copying`, builds the frozen copy in
 * the same pass. Paths are written out only for an error or a nested container: naming every
 * value on the way cost a string per value, on every message.
 */
class JsonWalk {
  /**
   * An upper bound on the UTF-8 bytes of the value as JSON: a UTF-16 unit is at most 6 bytes
   * (`\uXXXX`), a number at most 24 characters, plus quotes, brackets, colons and commas.
   */
  maxBytes = 0;

  constructor(
    private readonly root: string,
    private readonly copying: boolean,
  ) {}

  /** Checks the value at `parent` + `step` (a key or an index, or none for the root). */
  visit(value: unknown, parent: string, step: string | number | undefined, depth: number): unknown {
    // Named by its root: the path into a self-referencing value would be 64 levels long.
    if (depth > MAX_JSON_DEPTH) throw new ValidationError(this.root, `nests deeper than ${MAX_JSON_DEPTH} levels (or refers to itself)`);
    switch (typeof value) {
      case 'string':
        if (!isStorableText(value)) checkWellFormed(pathTo(parent, step), value);
        this.maxBytes += 6 * value.length + 2;
        return value;
      case 'number':
        if (!Number.isFinite(value)) throw new ValidationError(pathTo(parent, step), `${value} is not a JSON number`);
        this.maxBytes += 24;
        // JSON has no -0: it reads back as 0.
        return value === 0 ? 0 : value;
      case 'boolean':
        this.maxBytes += 5;
        return value;
      case 'object':
        if (value === null) {
          this.maxBytes += 4;
          return null;
        }
        if (Array.isArray(value)) return this.visitArray(value, pathTo(parent, step), depth);
        if (isPlainObject(value)) return this.visitObject(value, pathTo(parent, step), depth);
    }
    throw new ValidationError(pathTo(parent, step), `${describe(value)} cannot be stored as JSON`);
  }

  private visitArray(array: readonly unknown[], path: string, depth: number): unknown {
    const length = array.length;
    this.maxBytes += 2 + length;
    const copy: unknown[] | undefined = this.copying ? [] : undefined;
    for (let i = 0; i < length; i++) {
      const item = array[i];
      // A hole is skipped by the check and written as null, like JSON.stringify does.
      if (item === undefined && !(i in array)) {
        this.maxBytes += 4;
        copy?.push(null);
      } else {
        const checked = this.visit(item, path, i, depth + 1);
        copy?.push(checked);
      }
    }
    if (!copy) return array;
    return copy.length === 0 ? EMPTY_ARRAY : Object.freeze(copy);
  }

  private visitObject(object: Readonly<Record<string, unknown>>, path: string, depth: number): unknown {
    this.maxBytes += 2;
    const copy: Record<string, unknown> | undefined = this.copying ? {} : undefined;
    let kept = 0;
    for (const key of Object.keys(object)) {
      if (!isStorableText(key)) checkWellFormed(`${path} key`, key);
      const item = object[key];
      // JSON drops undefined properties; so does the store.
      if (item === undefined) continue;
      this.maxBytes += 6 * key.length + 4;
      const checked = this.visit(item, path, key, depth + 1);
      if (copy) {
        kept += 1;
        // JSON.parse makes "__proto__" an own property; plain assignment would set the prototype.
        if (key === '__proto__') Object.defineProperty(copy, key, { value: checked, enumerable: true, writable: true, configurable: true });
        else copy[key] = checked;
      }
    }
    if (!copy) return object;
    return kept === 0 ? EMPTY_OBJECT : Object.freeze(copy);
  }
}

function pathTo(parent: string, step: string | number | undefined): string {
  if (step === undefined) return parent;
  return typeof step === 'number' ? `${parent}[${step}]` : `${parent}.${step}`;
}
