import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DailyLog, FileLockTimeoutError, formatEntry, parseEntries, withFileLock } from '../../../src/builtin-plugins/memory/daily-log/index.js';
import { startChild } from '../storage/child-process-kit.js';
import { ManualClock, workspace } from './memory-test-kit.js';

function dailyLog(dir: string, clock: ManualClock, timeZone = 'UTC', maxEntryChars = 2000) {
  return new DailyLog({ workspaceDir: dir, directory: 'memory', timeZone, maxEntryChars, clock });
}

describe('the daily log', () => {
  it("appends to memory/YYYY-MM-DD.md, headed by the day, each entry tagged with its channel and session", async () => {
    const dir = workspace();
    const clock = new ManualClock(Date.UTC(2026, 2, 15, 9, 5, 7));
    const log = dailyLog(dir, clock);
    const first = await log.append({ role: 'user', text: 'Book the train to Lisbon', tag: { channel: 'telegram', session: 'main:telegram:42' } });
    await log.append({ role: 'assistant', text: 'Booked for Friday.', tag: { channel: 'telegram', session: 'main:telegram:42' } });
    expect(first.relativePath).toBe('memory/2026-03-15.md');
    expect(readFileSync(join(dir, 'memory/2026-03-15.md'), 'utf8')).toBe(
      '# 2026-03-15\n\n- [09:05:07] user (telegram/main:telegram:42): Book the train to Lisbon\n- [09:05:07] assistant (telegram/main:telegram:42): Booked for Friday.\n',
    );
  });

  it("files an entry under the day in the agent's time zone, not the host's", async () => {
    const dir = workspace();
    // 23:30 UTC on 15 March is already 16 March in Berlin and still 15 March in New York.
    const clock = new ManualClock(Date.UTC(2026, 2, 15, 23, 30, 0));
    expect((await dailyLog(dir, clock, 'Europe/Berlin').append({ role: 'note', text: 'late' })).relativePath).toBe('memory/2026-03-16.md');
    expect((await dailyLog(dir, clock, 'America/New_York').append({ role: 'note', text: 'late' })).relativePath).toBe('memory/2026-03-15.md');
    expect(readFileSync(join(dir, 'memory/2026-03-16.md'), 'utf8')).toContain('- [00:30:00] note: late');
  });

  it('keeps a multi-line note in one list item and drops its blank lines', () => {
    expect(formatEntry('10:00:00', 'note', 'First line\n\nsecond line\r\nthird', { channel: 'api', session: 's 1' })).toBe('- [10:00:00] note (api/s_1): First line\n  second line\n  third\n');
  });

  it('redacts secrets before they reach the file', async () => {
    const dir = workspace();
    const receipt = await dailyLog(dir, new ManualClock()).append({ role: 'user', text: 'my key is sk-proj-abcdefghijklmnopqrstuvwx and password=hunter22' });
    const text = readFileSync(receipt.path, 'utf8');
    expect(text).not.toContain('abcdefghijklmnop');
    expect(text).not.toContain('hunter22');
    expect(text).toContain('my key is [redacted] and password=[redacted]');
  });

  it('cuts an over-long entry and says how much was left out', async () => {
    const receipt = await dailyLog(workspace(), new ManualClock(), 'UTC', 100).append({ role: 'user', text: 'a'.repeat(150) });
    expect(receipt.entry).toContain(`${'a'.repeat(100)} … [50 more characters not logged]`);
  });

  it('gives a receipt pointing exactly at the entry it wrote', async () => {
    const dir = workspace();
    const log = dailyLog(dir, new ManualClock());
    await log.append({ role: 'note', text: 'one' });
    const receipt = await log.append({ role: 'note', text: 'two' });
    const bytes = readFileSync(receipt.path).subarray(receipt.offset, receipt.offset + receipt.bytes);
    expect(bytes.toString('utf8')).toBe(receipt.entry);
  });

  it('starts an entry on a new line when someone left the file without a final newline', async () => {
    const dir = workspace({ 'memory/2026-03-15.md': '# 2026-03-15\n\nwritten by hand' });
    await dailyLog(dir, new ManualClock()).append({ role: 'note', text: 'after' });
    expect(readFileSync(join(dir, 'memory/2026-03-15.md'), 'utf8')).toBe('# 2026-03-15\n\nwritten by hand\n- [12:00:00] note: after\n');
  });

  it('loses no entry and interleaves none when four processes append to one file at once', async () => {
    const dir = workspace();
    const writers = 4;
    const perWriter = 40;
    const children = Array.from({ length: writers }, (_, w) => startChild('../../memory/fixtures/append-entries.ts', [dir, String(w), String(perWriter)]));
    for (const child of children) expect(await child.nextLine()).toBe('done');
    const text = readFileSync(join(dir, 'memory/2026-03-15.md'), 'utf8');
    expect(text.match(/^# 2026-03-15$/gm)).toHaveLength(1);
    const entries = parseEntries(text);
    expect(entries).toHaveLength(writers * perWriter);
    for (const entry of entries) expect(entry.lines[0]).toMatch(/^- \[12:00:00\] user \(test\/w\d\): writer \d entry \d+ x{3000} end$/);
    for (let w = 0; w < writers; w++) {
      const mine = entries.filter((e) => e.tag?.session === `w${w}`).map((e) => Number(/entry (\d+)/.exec(e.lines[0]!)![1]));
      expect(mine).toEqual(Array.from({ length: perWriter }, (_, i) => i));
    }
    expect(existsSync(join(dir, 'memory/.2026-03-15.md.lock'))).toBe(false);
  }, 60_000);
});

describe('the lock file', () => {
  it('breaks a lock left by a process that no longer exists', async () => {
    const dir = workspace();
    const lock = join(dir, '.file.lock');
    writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 17, host: (await import('node:os')).hostname(), token: 'gone', at: Date.now() }));
    expect(await withFileLock(lock, async () => 'ran', { timeoutMs: 2_000 })).toBe('ran');
    expect(existsSync(lock)).toBe(false);
  });

  it('breaks a lock older than the stale limit whatever holds it', async () => {
    const dir = workspace();
    const lock = join(dir, '.file.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: 'another-host', token: 'old', at: 0 }));
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    expect(await withFileLock(lock, async () => 'ran', { staleMs: 10_000, timeoutMs: 2_000 })).toBe('ran');
  });

  it('waits for a live holder, then says who held it and what to do', async () => {
    const dir = workspace();
    const lock = join(dir, '.file.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), token: 'live', at: Date.now() }));
    const error = await withFileLock(lock, async () => 'ran', { timeoutMs: 50, retryMs: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileLockTimeoutError);
    expect((error as Error).message).toMatch(new RegExp(`process ${process.pid} on .* still holds it; if no Nexus process is running, delete the lock file`));
    expect(existsSync(lock)).toBe(true);
  });

  it('serialises writers in one process too', async () => {
    const dir = workspace();
    const lock = join(dir, '.file.lock');
    const order: string[] = [];
    await Promise.all(
      ['a', 'b', 'c'].map((name) =>
        withFileLock(lock, async () => {
          order.push(`${name}+`);
          await new Promise((resolve) => setImmediate(resolve));
          order.push(`${name}-`);
        }),
      ),
    );
    for (let i = 0; i < order.length; i += 2) expect(order[i + 1]).toBe(order[i]!.replace('+', '-'));
  });
});
