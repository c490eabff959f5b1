import { describe, expect, it } from 'vitest';
import { recallRecent, renderRecall, type RecallRequest } from '../../../src/builtin-plugins/memory/daily-log/index.js';
import { workspace } from './memory-test-kit.js';

const YESTERDAY = `# 2026-03-14

- [20:00:00] user (telegram/main:telegram:1): yesterday from chat 1
- [20:01:00] assistant (telegram/main:telegram:1): reply to chat 1
- [21:00:00] user (slack/main:slack:C9): yesterday on slack
written by hand, no tag
`;
const TODAY = `# 2026-03-15

- [08:00:00] user (telegram/main:telegram:2): today from chat 2
- [08:30:00] note (telegram/main:telegram:1): a note for chat 1
  with a second line
- [09:00:00] user (telegram/main:telegram:1): today from chat 1
`;

function request(dir: string, overrides: Partial<RecallRequest>): RecallRequest {
  return { workspaceDir: dir, directory: 'memory', today: '2026-03-15', days: 2, maxLines: 20, scope: 'session', channel: 'telegram', session: 'main:telegram:1', ...overrides };
}

const lines = (recall: Awaited<ReturnType<typeof recallRecent>>) => recall.days.flatMap((d) => d.lines);

describe('recalling the daily log', () => {
  // A fresh copy per test: temporary folders are removed after each.
  const files = () => workspace({ 'memory/2026-03-14.md': YESTERDAY, 'memory/2026-03-15.md': TODAY, 'memory/2026-03-13.md': '- [10:00:00] user (telegram/main:telegram:1): two days ago\n' });

  it('with scope session, shows only the entries of this session, today and yesterday, oldest first', async () => {
    const recall = await recallRecent(request(files(), {}));
    expect(recall.days.map((d) => d.path)).toEqual(['memory/2026-03-14.md', 'memory/2026-03-15.md']);
    expect(lines(recall)).toEqual([
      '- [20:00:00] user (telegram/main:telegram:1): yesterday from chat 1',
      '- [20:01:00] assistant (telegram/main:telegram:1): reply to chat 1',
      '- [08:30:00] note (telegram/main:telegram:1): a note for chat 1',
      '  with a second line',
      '- [09:00:00] user (telegram/main:telegram:1): today from chat 1',
    ]);
  });

  it('with scope channel, shows every session on the channel and nothing from other channels (the Go version showed everything)', async () => {
    const recalled = lines(await recallRecent(request(files(), { scope: 'channel' })));
    expect(recalled.some((l) => l.includes('chat 2'))).toBe(true);
    expect(recalled.some((l) => l.includes('slack'))).toBe(false);
    expect(recalled.some((l) => l.includes('written by hand'))).toBe(false);
  });

  it('with scope global, shows everything, untagged lines included', async () => {
    const recalled = lines(await recallRecent(request(files(), { scope: 'global', channel: undefined, session: undefined })));
    expect(recalled).toContain('- [21:00:00] user (slack/main:slack:C9): yesterday on slack');
    expect(recalled).toContain('written by hand, no tag');
  });

  it('recalls nothing, rather than everything, when the session or channel is unknown', async () => {
    expect((await recallRecent(request(files(), { session: undefined }))).days).toEqual([]);
    expect((await recallRecent(request(files(), { scope: 'channel', channel: undefined }))).days).toEqual([]);
  });

  it('keeps the newest max_lines lines and counts what it left out', async () => {
    const recall = await recallRecent(request(files(), { maxLines: 2 }));
    expect(lines(recall)).toEqual(['  with a second line', '- [09:00:00] user (telegram/main:telegram:1): today from chat 1']);
    expect(recall.omitted).toBe(3);
    expect(recall.days.map((d) => d.date)).toEqual(['2026-03-15']);
  });

  it('reaches further back with more days, and nowhere with 0', async () => {
    expect(lines(await recallRecent(request(files(), { days: 3 })))[0]).toContain('two days ago');
    expect((await recallRecent(request(files(), { days: 0 }))).days).toEqual([]);
  });

  it('renders a section naming each file, with a marker where lines were left out', async () => {
    expect(renderRecall(await recallRecent(request(files(), { maxLines: 2 })))).toBe(
      'Recent memory (from the daily log):\n[… 3 earlier lines not shown]\nmemory/2026-03-15.md:\n  with a second line\n- [09:00:00] user (telegram/main:telegram:1): today from chat 1',
    );
    expect(renderRecall({ days: [], omitted: 0 })).toBeUndefined();
  });

  it('redacts a secret someone typed into the file by hand', async () => {
    const withSecret = workspace({ 'memory/2026-03-15.md': 'api_key: sk-abcdefghijklmnopqrstuvwxyz\n' });
    expect(lines(await recallRecent(request(withSecret, { scope: 'global' })))).toEqual(['api_key: [redacted]']);
  });

  it('handles a missing daily folder', async () => {
    expect(await recallRecent(request(workspace(), {}))).toEqual({ days: [], omitted: 0 });
  });
});
