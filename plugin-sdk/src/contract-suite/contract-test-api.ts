/**
 * The part of a test runner the contract suites (stores, channels) use. Vitest's and Jest's own `describe`,
 * `it`, `expect`, `beforeEach` and `afterEach` fit it as they are, so the SDK imports no test
 * runner: the caller passes its own (`import { describe, it, expect, beforeEach, afterEach } from
 * 'vitest'`), and a plugin that never runs the suite loads none.
 */
export interface ContractTestApi {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void> | void): void;
  beforeEach(body: () => Promise<void> | void): void;
  afterEach(body: () => Promise<void> | void): void;
  readonly expect: ContractExpect;
}

/** `expect(actual)` with the asymmetric matchers the suite uses. */
export interface ContractExpect {
  (actual: unknown, message?: string): ContractAssertion;
  any(constructor: unknown): unknown;
  readonly not: { stringContaining(text: string): unknown };
}

/** The matchers the suite uses (method syntax, so a runner's more precise signatures fit). */
export interface ContractAssertion {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toMatchObject(expected: object): void;
  toMatch(expected: RegExp | string): void;
  toBeUndefined(): void;
  toBeGreaterThan(expected: number): void;
  toBeGreaterThanOrEqual(expected: number): void;
  toBeLessThanOrEqual(expected: number): void;
  toBeInstanceOf(expected: unknown): void;
  toHaveLength(expected: number): void;
  toHaveProperty(path: string): void;
  toContain(expected: unknown): void;
  toThrow(expected?: unknown): void;
  readonly not: ContractAssertion;
  readonly rejects: { toMatchObject(expected: object): Promise<void> };
}
