import { describe, expect, it } from 'vitest';
import { createCommandContext, createHttpRequest, createPromptContext, createToolContext, MemoryLogger } from '../../plugin-sdk/src/testing/index.js';

describe('the testing kit context factories', () => {
  it('builds a request as the http plugin hands it to a route: subpath below the prefix, query, JSON body', () => {
    const request = createHttpRequest({ path: '/channels/acme/hook/a?x=1', prefix: '/channels/acme', json: { ok: true } });
    expect(request).toMatchObject({ method: 'POST', path: '/channels/acme/hook/a', subpath: '/hook/a', headers: { 'content-type': 'application/json' } });
    expect(request.query.get('x')).toBe('1');
    expect(new TextDecoder().decode(request.body)).toBe('{"ok":true}');
    expect(createHttpRequest({ path: '/healthz' })).toMatchObject({ method: 'GET', subpath: '' });
    expect(() => createHttpRequest({ path: '/other', prefix: '/channels' })).toThrow(/not under the route prefix \/channels/);
  });

  it('keeps what a command writes, and gives tools and prompt sections working defaults', () => {
    const ctx = createCommandContext({ subcommand: 'api-key list', options: { json: true } });
    ctx.stdout('one\n');
    ctx.stderr('two\n');
    expect(ctx.output()).toEqual({ stdout: 'one\n', stderr: 'two\n' });
    expect(ctx).toMatchObject({ subcommand: 'api-key list', args: {}, options: { json: true }, configPath: undefined });
    const tool = createToolContext({ sessionId: 's1' });
    expect(tool.signal.aborted).toBe(false);
    expect(tool.logger).toBeInstanceOf(MemoryLogger);
    expect(createPromptContext({ channel: 'telegram' })).toMatchObject({ channel: 'telegram', agentId: 'main', heartbeat: false });
  });
});
