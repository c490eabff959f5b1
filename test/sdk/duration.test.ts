import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DURATION_PATTERN, DurationError, formatDuration, formatElapsed, parseDuration, requireDuration } from '@nexus/plugin-sdk';
import { CRON_SECTION_SCHEMA } from '../../src/builtin-plugins/cron/config/index.js';
import { MCP_SECTION_SCHEMA } from '../../src/builtin-plugins/mcp/config/config-schema.js';
import { Kernel, MemoryLogger } from '../../src/kernel/index.js';

const memoryManifest = JSON.parse(readFileSync(join(import.meta.dirname, '../../src/builtin-plugins/memory/nexus.plugin.json'), 'utf8')) as { contributes: { configSections: { section: string; schema: unknown }[] } };
const memorySchema: unknown = memoryManifest.contributes.configSections.find((s) => s.section === 'memory')!.schema;

describe('parseDuration', () => {
  it('reads a number and a unit, whole or decimal, in ms, s, m, h and d', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('1.5s')).toBe(1_500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(parseDuration('0s')).toBe(0);
  });

  it('adds up compound forms, and rounds to a whole millisecond', () => {
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1d12h')).toBe(129_600_000);
    expect(parseDuration('2m30s500ms')).toBe(150_500);
    expect(parseDuration('0.0005s')).toBe(1);
  });

  it('ignores surrounding spaces and nothing else', () => {
    expect(parseDuration('  30s\n')).toBe(30_000);
    for (const text of ['', '30', 's', '5 minutes', '5 m', '1h 30m', '-1s', '+1s', '1.s', '.5s', '1e3ms', '30S', '1w', '10sec', '1h30']) {
      expect(parseDuration(text), text).toBeUndefined();
    }
  });

  it('refuses a duration too large to count in milliseconds exactly', () => {
    expect(parseDuration('9999999999999999d')).toBeUndefined();
  });

  it('accepts exactly what DURATION_PATTERN accepts', () => {
    const pattern = new RegExp(DURATION_PATTERN);
    for (const text of ['250ms', '1.5s', '1h30m', '7d', '5 minutes', '30', '1h 30m', '.5s']) {
      expect(parseDuration(text) !== undefined, text).toBe(pattern.test(text));
    }
  });
});

describe('requireDuration', () => {
  it('returns the milliseconds of a duration', () => {
    expect(requireDuration('1h30m', 'server.drain_timeout')).toBe(5_400_000);
  });

  it('names the setting, the value and the syntax when the value is not a duration', () => {
    const thrown = (() => {
      try {
        requireDuration('5 minutes', 'server.drain_timeout');
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(DurationError);
    expect((thrown as Error).message).toBe('`server.drain_timeout`: "5 minutes" is not a duration; use e.g. 30s, 5m, 1h (a number and ms, s, m, h or d, parts may be combined: 1h30m)');
    expect(() => requireDuration(30, 'agent.tool_timeout')).toThrow('`agent.tool_timeout`: 30 is not a duration');
    expect(() => requireDuration(undefined, 'agent.tool_timeout')).toThrow('`agent.tool_timeout`: undefined is not a duration');
  });
});

describe('formatDuration and formatElapsed', () => {
  it('write milliseconds back in the largest whole unit, or in parts', () => {
    expect([90_000, 5_400_000, 1_500, 86_400_000].map(formatDuration)).toEqual(['90s', '90m', '1500ms', '1d']);
    expect([7_265_000, 999, 61_000].map(formatElapsed)).toEqual(['2h1m5s', '999ms', '1m1s']);
  });
});

describe('durations in the built-in plugins\' config', () => {
  /** Every `pattern` in the composed schema that reads a duration, with its JSON pointer and default. */
  function durationFields(node: unknown, pointer = ''): { pointer: string; pattern: string; default?: unknown }[] {
    if (typeof node !== 'object' || node === null) return [];
    const here = node as { pattern?: unknown; default?: unknown };
    const own = typeof here.pattern === 'string' && /\bms\b|\(ms\|/.test(here.pattern) ? [{ pointer, pattern: here.pattern, default: here.default }] : [];
    return [...own, ...Object.entries(node).flatMap(([key, child]) => durationFields(child, `${pointer}/${key}`))];
  }

  it('all take one syntax, DURATION_PATTERN, and their defaults parse', () => {
    const kernel = new Kernel({ home: tmpdir(), workspaceDir: tmpdir(), packageDirs: [], discoveryIndex: false, logger: new MemoryLogger() });
    const fields = [
      ...durationFields(kernel.configSchema()),
      ...durationFields(CRON_SECTION_SCHEMA, '#cron'),
      ...durationFields(MCP_SECTION_SCHEMA, '#mcp'),
      ...durationFields(memorySchema, '#memory'),
    ];
    // agent, llm, server, auth and database in the composed schema (7), then cron, mcp and memory.
    expect(fields.length).toBeGreaterThanOrEqual(15);
    for (const field of fields) {
      expect(field.pattern, field.pointer).toBe(DURATION_PATTERN);
      if (field.default !== undefined) expect(parseDuration(String(field.default)), field.pointer).toBeDefined();
    }
  });
});
