import { describe, expect, it } from 'vitest';
import { StorageMigratorToken } from '@nexus/plugin-sdk';
import { call, calls, ofType, says } from '../agent/agent-test-kit.js';
import { runCommandLine } from '../../helpers/command-line.js';
import { freshDatabase, postgresSkipReason } from '../storage/postgres-test-kit.js';
import { corpusFiles, workspace } from './memory-test-kit.js';
import { memoryHarness, memoryKernel } from './memory-plugin-kit.js';

const skip = postgresSkipReason();

describe.skipIf(skip !== undefined)('the memory plugin on PostgreSQL', () => {
  it('gets its tables from `migrate up`, and its tools, search and stats work through the agent', async () => {
    const url = await freshDatabase('memory_plugin');
    await using kernel = memoryKernel({ workspace: workspace(corpusFiles()), database: { url } });
    const applied = await (await kernel.services.get(StorageMigratorToken)).up();
    expect(applied.map((m) => m.name)).toEqual(expect.arrayContaining(['memory/0001_memory_index', 'memory/0002_memory_flushes']));

    const h = await memoryHarness(kernel);
    const session = await h.session('api', 'pg');
    h.llm.script(calls([call('memory_write', { text: 'PostgreSQL note: the boiler was serviced.' })]), says('ok'));
    expect(ofType(await h.turn(session, 'note it'), 'tool_result')[0]!.isError).toBe(false);
    h.llm.script(calls([call('memory_search', { query: 'boiler serviced', mode: 'lexical' })]), says('ok'));
    const found = JSON.parse(ofType(await h.turn(session, 'find it'), 'tool_result')[0]!.content) as { mode: string; results: { snippet: string }[] };
    expect(found.mode).toBe('lexical');
    expect(found.results[0]!.snippet).toContain('boiler was serviced');

    const stats = JSON.parse((await runCommandLine(kernel, 'memory', ['stats', '--json'])).stdout) as { files: number; vector_backend: string; mismatches: unknown[] };
    expect(stats).toMatchObject({ files: 6, vector_backend: 'exact', mismatches: [] });
  });
});
