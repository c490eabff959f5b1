import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import type { Clock } from '@nexus/plugin-sdk';
import { readMemorySettings, type MemorySection, type MemorySettings } from '../../../src/builtin-plugins/memory/config/index.js';
import type { Scheduler } from '../../../src/builtin-plugins/memory/indexer/index.js';
import { MemoryEngine, type MemoryEngineOptions } from '../../../src/builtin-plugins/memory/operations/index.js';
import { SchemaCompiler } from '../../../src/kernel/schema/index.js';
import { tempDir } from '../../helpers/fixtures.js';
import { applyMigrations, sqliteTestClient } from './sql-test-clients.js';

/** The memory section's schema, from the plugin manifest (its one source). */
export const MANIFEST_PATH = join(import.meta.dirname, '../../../src/builtin-plugins/memory/nexus.plugin.json');
export const memorySchema = (JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as { contributes: { configSections: { section: string; schema: Record<string, unknown> }[] } }).contributes.configSections.find((s) => s.section === 'memory')!.schema;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** Runs `fn` after the current test. */
export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}

/** The `memory` section as the kernel would hand it over: validated against the schema, defaults applied. */
export const schemaCompiler = new SchemaCompiler();

export function memorySection(value: unknown = {}): MemorySection {
  const result = schemaCompiler.validate(memorySchema, value);
  if (!result.valid) throw new Error(`memory config does not validate: ${JSON.stringify(result.errors)}`);
  return result.value as MemorySection;
}

export function memorySettings(value: unknown = {}): MemorySettings {
  return readMemorySettings(memorySection(value), { hostTimeZone: 'UTC' });
}

/** A clock that moves only when told. */
export class ManualClock implements Clock {
  constructor(private current = Date.UTC(2026, 2, 15, 12, 0, 0)) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(ms: number): void {
    this.current = ms;
  }
}

/** Timers that fire only when the test runs them. */
export class ManualScheduler implements Scheduler {
  readonly pending = new Map<number, { fn: () => void; ms: number }>();
  private next = 1;
  set(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { fn, ms });
    return id;
  }
  clear(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** Fires every pending timer; returns how many there were. */
  fire(): number {
    const due = [...this.pending.values()];
    this.pending.clear();
    for (const timer of due) timer.fn();
    return due.length;
  }
}

/** The fixture corpus (MEMORY.md, two daily files, two undated notes) as files for `workspace`. */
export function corpusFiles(): Record<string, string> {
  const root = join(import.meta.dirname, 'fixtures/corpus');
  const files: Record<string, string> = {};
  for (const path of ['MEMORY.md', 'memory/2026-03-10.md', 'memory/2026-03-14.md', 'memory/recipes.md', 'memory/garage.md']) files[path] = readFileSync(join(root, path), 'utf8');
  return files;
}

/** A temporary workspace with `files` (relative path → content). */
export function workspace(files: Record<string, string> = {}): string {
  const dir = tempDir('nexus-memory-');
  for (const [path, content] of Object.entries(files)) writeText(join(dir, path), content);
  return dir;
}

export function writeText(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** A migrated in-memory SQLite database, closed after the test. */
export async function sqliteMemoryDb(file = ':memory:'): Promise<ReturnType<typeof sqliteTestClient>> {
  const sql = sqliteTestClient(file);
  onCleanup(() => sql.close());
  await applyMigrations(sql);
  return sql;
}

export interface TestEngineOptions extends Partial<Omit<MemoryEngineOptions, 'settings'>> {
  readonly config?: unknown;
  readonly files?: Record<string, string>;
}

/** An engine over a fresh workspace and database (SQLite in memory unless `sql` is given). */
export async function openTestEngine(options: TestEngineOptions = {}): Promise<{ engine: MemoryEngine; dir: string; clock: ManualClock; sql: MemoryEngineOptions['sql'] }> {
  const dir = options.workspaceDir ?? workspace(options.files);
  const clock = (options.clock as ManualClock | undefined) ?? new ManualClock();
  const sql = options.sql ?? (await sqliteMemoryDb());
  const engine = await MemoryEngine.open({
    ...options,
    sql,
    workspaceDir: dir,
    settings: memorySettings(options.config ?? {}),
    clock,
    retrySleep: options.retrySleep ?? (async () => undefined),
  });
  onCleanup(() => engine.close());
  return { engine, dir, clock, sql };
}
