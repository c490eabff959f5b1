import { describe, expect, it } from 'vitest';
import { checkFrozenJson, checkJson } from '@nexus/plugin-sdk/storage';

/** What `check` throws, as name, field and message, or undefined if it does not throw. */
function failure(check: () => unknown): { name: string; field: unknown; message: string } | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    const e = error as Error & { field?: unknown };
    return { name: e.name, field: e.field, message: e.message };
  }
}

/** Every own key, in order, with each value's kind, all the way down: a stricter equality than toEqual. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return ['array', value.length, ...value.map(shape)];
  if (typeof value === 'object' && value !== null) {
    return ['object', Object.getPrototypeOf(value) === Object.prototype, ...Reflect.ownKeys(value).map((k) => [k, shape((value as Record<PropertyKey, unknown>)[k])])];
  }
  return Object.is(value, -0) ? '-0' : [typeof value, value];
}

function isDeeplyFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(isDeeplyFrozen);
}

const sparse: unknown[] = [1];
sparse[3] = 'x';
const nullProto = Object.assign(Object.create(null) as Record<string, unknown>, { b: 1, a: [true, false, null] });
const protoKey = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}') as unknown;

const GOOD: readonly [string, unknown][] = [
  ['an empty object', {}],
  ['an empty array', []],
  ['scalars', { s: 'text 🐙 é', n: 1.5, big: 1e300, tiny: 5e-324, neg: -42, t: true, f: false, z: null }],
  ['negative zero', { z: -0, list: [-0, 0] }],
  ['undefined properties', { keep: 1, drop: undefined, nested: { drop: undefined } }],
  ['only undefined properties', { drop: undefined }],
  ['holes in an array', sparse],
  ['integer-like keys', { b: 1, 10: 'ten', 2: 'two', a: 2 }],
  ['a null-prototype object', nullProto],
  ['an own __proto__ key', protoKey],
  ['escapes', { 'quote"key': 'line\nbreak\ttab\\slash\u0001\u001f "quoted"', '\u2028': '\u2029' }],
  ['nesting', { a: [{ b: [[{ c: [1, 2, { d: 'e' }] }]] }, []] }],
  ['a top-level array', [1, 'two', { three: 3 }]],
  ['a top-level string', 'just text'],
  ['a top-level number', 7],
  ['a top-level null', null],
];

describe('checkFrozenJson', () => {
  for (const [name, value] of GOOD) {
    it(`gives the same value as parsing checkJson's text back, deep-frozen: ${name}`, () => {
      const text = checkJson('field', value);
      const copy = checkFrozenJson('field', value);
      expect(shape(copy)).toEqual(shape(JSON.parse(text)));
      expect(JSON.stringify(copy)).toBe(text);
      expect(isDeeplyFrozen(copy)).toBe(true);
    });
  }

  it('copies, so changing the input afterwards changes nothing kept', () => {
    const input = { list: [1, 2], nested: { n: 1 } };
    const copy = checkFrozenJson('field', input) as typeof input;
    input.list.push(3);
    input.nested.n = 2;
    expect(copy).toEqual({ list: [1, 2], nested: { n: 1 } });
  });

  it('does not set a prototype from a __proto__ key', () => {
    const copy = checkFrozenJson('field', protoKey) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(copy, '__proto__')).toBe(true);
    expect((copy as { polluted?: unknown }).polluted).toBeUndefined();
  });

  const loop: Record<string, unknown> = {};
  loop.self = loop;
  let deep: unknown = 'bottom';
  for (let i = 0; i < 70; i++) deep = [deep];
  const BAD: readonly [string, unknown][] = [
    ['a lone surrogate in a value', { note: 'tail \uDC00' }],
    ['a lone surrogate in a nested value', { a: [{ b: 'x\uD800y' }] }],
    ['a lone surrogate in a key', { a: { ['k\uD800']: 1 } }],
    ['a NUL in a value', { a: ['ok', 'a\u0000b'] }],
    ['a NUL in a key', { ['a\u0000']: 1 }],
    ['NaN', { n: Number.NaN }],
    ['Infinity', [1, Number.POSITIVE_INFINITY]],
    ['a bigint', { big: 10n }],
    ['a Date', { when: new Date(0) }],
    ['a Map', { m: new Map() }],
    ['a function', { f: () => 1 }],
    ['a symbol', { s: Symbol('s') }],
    ['undefined in an array', [1, undefined]],
    ['undefined at the top', undefined],
    ['a class instance', { x: new (class Thing {})() }],
    ['a loop', { input: loop }],
    ['nesting past 64 levels', deep],
    ['the first of several problems', { a: Number.NaN, b: 'x\uD800' }],
  ];
  for (const [name, value] of BAD) {
    it(`refuses with the same error as checkJson: ${name}`, () => {
      const expected = failure(() => checkJson('message.metadata', value));
      expect(expected).toBeDefined();
      expect(failure(() => checkFrozenJson('message.metadata', value))).toEqual(expected);
    });
  }

  it('refuses a value over the size limit with the same error as checkJson, and keeps one right at it', () => {
    const values: unknown[] = [{ text: 'x'.repeat(500) }, { text: 'é🐙'.repeat(100), list: [1.25, -3, null, true] }, ['\n\u0001"'.repeat(50)], { a: { b: [{}] } }];
    for (const value of values) {
      const bytes = Buffer.byteLength(checkJson('f', value), 'utf8');
      expect(failure(() => checkFrozenJson('f', value, bytes))).toBeUndefined();
      const over = failure(() => checkFrozenJson('f', value, bytes - 1));
      expect(over).toEqual(failure(() => checkJson('f', value, bytes - 1)));
      expect(over?.message).toBe(`f: is ${bytes} bytes as JSON; the limit is ${bytes - 1}`);
    }
  });
});
