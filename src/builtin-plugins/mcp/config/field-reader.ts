import { DURATION_EXAMPLES, parseDuration } from '@nexus/plugin-sdk';
import { describeValue, pointerJoin, type ConfigProblems } from './config-problems.js';

/**
 * Reads the keys of one configuration object, reporting a wrong type at the key's pointer. The
 * kernel checks the section's schema first; this keeps the engine safe when it is handed settings
 * directly (tests, reload) and gives the same located messages either way. Secret values are
 * never quoted back.
 */
export class FieldReader {
  constructor(
    readonly value: Readonly<Record<string, unknown>>,
    readonly pointer: string,
    private readonly problems: ConfigProblems,
  ) {}

  static of(value: unknown, pointer: string, problems: ConfigProblems): FieldReader | undefined {
    if (value === undefined) return new FieldReader({}, pointer, problems);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.error(pointer, `expected an object, found ${describeValue(value)}`);
      return undefined;
    }
    return new FieldReader(value as Record<string, unknown>, pointer, problems);
  }

  has(key: string): boolean {
    return this.value[key] !== undefined;
  }

  at(key: string): string {
    return pointerJoin(this.pointer, key);
  }

  unknownKeys(allowed: readonly string[]): void {
    for (const key of Object.keys(this.value)) {
      if (!allowed.includes(key)) this.problems.error(this.at(key), `unknown key "${key}"`, `allowed keys here: ${allowed.join(', ')}`);
    }
  }

  string(key: string, options: { secret?: boolean } = {}): string | undefined {
    const value = this.value[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string' && value.length > 0) return value;
    this.problems.error(this.at(key), `expected a non-empty string, found ${options.secret ? typeof value : describeValue(value)}`);
    return undefined;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.value[key];
    if (value === undefined) return fallback;
    if (typeof value === 'boolean') return value;
    this.problems.error(this.at(key), `expected true or false, found ${describeValue(value)}`);
    return fallback;
  }

  integer(key: string, fallback: number, min: number, max: number): number {
    const value = this.value[key];
    if (value === undefined) return fallback;
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    this.problems.error(this.at(key), `expected a whole number from ${min} to ${max}, found ${describeValue(value)}`);
    return fallback;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const value = this.value[key];
    if (value === undefined) return fallback;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.problems.error(this.at(key), `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, found ${describeValue(value)}`);
    return fallback;
  }

  duration(key: string, fallback: string): number {
    const value = this.value[key] ?? fallback;
    const ms = typeof value === 'string' ? parseDuration(value) : undefined;
    if (ms !== undefined && ms > 0) return ms;
    this.problems.error(this.at(key), `expected a positive duration such as ${DURATION_EXAMPLES}, found ${describeValue(value)}`, 'write a number and a unit (ms, s, m, h or d); parts may be combined, e.g. 1h30m');
    return parseDuration(fallback)!;
  }

  stringArray(key: string): string[] | undefined {
    const value = this.value[key];
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) {
      this.problems.error(this.at(key), `expected a list of strings, found ${describeValue(value)}`);
      return undefined;
    }
    const items: string[] = [];
    value.forEach((item, index) => {
      if (typeof item === 'string') items.push(item);
      else this.problems.error(pointerJoin(this.at(key), index), `expected a string, found ${describeValue(item)}`);
    });
    return items;
  }

  /** A string-to-string map whose values are secrets (env, headers). */
  secretMap(key: string, keyPattern: RegExp, keyRule: string): Record<string, string> {
    const value = this.value[key];
    if (value === undefined) return {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.problems.error(this.at(key), `expected an object of names to string values, found ${describeValue(value)}`);
      return {};
    }
    const map: Record<string, string> = {};
    for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
      const at = pointerJoin(this.at(key), name);
      if (!keyPattern.test(name)) this.problems.error(at, `the name "${name}" is not allowed here (${keyRule})`);
      else if (typeof item !== 'string') this.problems.error(at, `expected a string, found ${typeof item} (value withheld: it is a secret)`);
      else map[name] = item;
    }
    return map;
  }
}
