import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ChatCommand } from '../../../src/builtin-plugins/gateway/commands/chat-command.js';
import type { GatewayRuntime } from '../../../src/builtin-plugins/gateway/gateway-runtime.js';
import { ConfigToken, SessionStoreToken } from '@nexus/plugin-sdk';
import type { TestKernel } from '../../../src/kernel/testing/index.js';
import { openaiBaseUrl, startFakeOpenAI, textReply } from '../../fixtures/llm-servers/index.js';
import { createApiKey, gatewayKernel, JWT_SECRET, startGateway, type CommandRun } from './gateway-test-kit.js';
import { runCommandLine } from '../../helpers/command-line.js';

const builtins = join(import.meta.dirname, '../../../src/builtin-plugins');
const agentPlugins = [join(builtins, 'agent'), join(builtins, 'openai'), join(builtins, 'workspace')];

async function runChat(kernel: TestKernel, argv: readonly string[]): Promise<CommandRun> {
  return runCommandLine(kernel, 'chat', argv);
}

function llmSettings(baseUrl: string) {
  return { llm: { default_provider: 'openai', providers: { openai: { base_url: baseUrl, api_key: 'sk-test', default_model: 'gpt-test' } } } };
}

describe('nexus chat', () => {
  it('--embedded -m runs its own gateway, streams the reply to stdout and exits 0', async () => {
    await using llm = await startFakeOpenAI();
    llm.push(textReply('Hello', ', ', 'Ada'));
    const kernel = gatewayKernel({ settings: llmSettings(openaiBaseUrl(llm)), with: agentPlugins });
    const run = await runChat(kernel, ['--embedded', '-m', 'hi there']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('Hello, Ada\n');
    expect(JSON.stringify(llm.streamRequests[0]!.body)).toContain('hi there');
  });

  it('--embedded acts as the operator, an admin, when credentials are required: any session is reachable', async () => {
    await using llm = await startFakeOpenAI();
    llm.push(textReply('seen'));
    const kernel = gatewayKernel({ settings: { ...llmSettings(openaiBaseUrl(llm)), auth: { jwt_secret: JWT_SECRET } }, with: agentPlugins });
    const channel = await (await kernel.services.get(SessionStoreToken)).create({ agentId: 'main', channel: 'webhook', key: 'main:webhook:acct:42' });
    const run = await runChat(kernel, ['--embedded', '--session', channel.id, '-m', 'what did they say?']);
    expect(run.stderr).toBe('');
    expect(run).toMatchObject({ code: 0, stdout: 'seen\n' });
  });

  it('talks to a running gateway with an API key and continues the same session', async () => {
    await using llm = await startFakeOpenAI();
    llm.push(textReply('first'), textReply('second'));
    const gateway = await startGateway({ settings: llmSettings(openaiBaseUrl(llm)), with: agentPlugins });
    const { key } = await createApiKey(gateway.kernel, 'cli', 'ada');
    const address = ['--address', gateway.target, '--api-key', key];
    expect((await runChat(gateway.kernel, [...address, '-m', 'one'])).stdout).toBe('first\n');
    expect((await runChat(gateway.kernel, [...address, '-m', 'two'])).stdout).toBe('second\n');
    // The second turn saw the first: the caller's own session carries the history.
    const sent = JSON.stringify(llm.streamRequests[1]!.body);
    expect(sent).toContain('one');
    expect(sent).toContain('first');
  });

  it('says how to authenticate when the gateway refuses anonymous calls', async () => {
    const gateway = await startGateway({ settings: { auth: { jwt_secret: JWT_SECRET } }, with: agentPlugins });
    const run = await runChat(gateway.kernel, ['--address', gateway.target, '-m', 'hi']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/refused the credentials.*--api-key/);
  });

  it('says how to start a gateway when nothing listens', async () => {
    const kernel = gatewayKernel({ with: agentPlugins });
    const run = await runChat(kernel, ['--address', '127.0.0.1:1', '-m', 'hi']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot reach the gateway at 127\.0\.0\.1:1.*nexus serve.*--embedded/);
  });

  it('rejects bad arguments with usage and exit 2', async () => {
    const kernel = gatewayKernel({ with: agentPlugins });
    for (const [argv, what] of [
      [['--address', 'nohost'], '--address must be HOST:PORT, got "nohost"'],
      [['--embedded', '--address', '127.0.0.1:1'], '--embedded runs its own gateway; drop --address'],
      [['--api-key', 'k', '--token', 't'], 'pass --api-key or --token, not both'],
      [['-m', ' '], "option '-m, --message <TEXT>' argument ' ' is invalid: it needs a value, not a blank one"],
      [['--bogus'], "unknown option '--bogus'"],
    ] as const) {
      const run = await runChat(kernel, argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr).toBe(`nexus chat: ${what}; see \`nexus help chat\` (plugin gateway)\n`);
    }
  });
});

/** `nexus chat` against `gateway`, reading `lines` as piped input (no terminal). */
async function chatScript(gateway: { readonly kernel: TestKernel; readonly target: string }, lines: readonly string[], flags: Record<string, unknown> = {}): Promise<CommandRun> {
  const input = new PassThrough();
  input.end(lines.map((line) => `${line}\n`).join(''));
  const command = new ChatCommand({
    runtime: undefined as unknown as GatewayRuntime,
    settings: await gateway.kernel.services.get(ConfigToken),
    verifier: () => {
      throw new Error('not used with --address');
    },
    tokens: () => {
      throw new Error('not used with --address');
    },
    env: {},
    input,
  });
  let stdout = '';
  let stderr = '';
  const code = await command.run({
    subcommand: '',
    args: {},
    options: { address: gateway.target, embedded: false, verbose: false, ...flags },
    configPath: undefined,
    signal: AbortSignal.timeout(20_000),
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}

describe('nexus chat sessions', () => {
  const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

  it('/new starts a fresh session: the messages after it do not see the ones before', async () => {
    await using llm = await startFakeOpenAI();
    llm.push(textReply('first'), textReply('second'));
    const gateway = await startGateway({ settings: llmSettings(openaiBaseUrl(llm)), with: agentPlugins });

    const run = await chatScript(gateway, ['remember the owl', '/new', 'what did I say?']);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^first\\n\\(a fresh session: ${UUID}, key main:api:(?:[^\\s:]+:)?chat-[0-9TZ]+-[0-9a-f]{8}\\)\\nsecond\\n$`));
    const secondRequest = JSON.stringify(llm.streamRequests[1]!.body);
    expect(secondRequest).toContain('what did I say?');
    expect(secondRequest).not.toContain('remember the owl');
    const store = await gateway.kernel.services.get(SessionStoreToken);
    expect((await store.list({ channel: 'api' }, { limit: 10 })).total).toBe(2);
  });

  it('--verbose says which session the conversation is in, by id and key, and again after /new', async () => {
    await using llm = await startFakeOpenAI();
    llm.push(textReply('one'), textReply('two'), textReply('three'));
    const gateway = await startGateway({ settings: llmSettings(openaiBaseUrl(llm)), with: agentPlugins });

    const run = await chatScript(gateway, ['a', 'b', '/new', 'c'], { verbose: true });

    expect(run.code).toBe(0);
    const notes = run.stderr.trimEnd().split('\n');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(new RegExp(`^\\[session ${UUID}, key main:api:[^\\]]+\\]$`));
    const fresh = /\(a fresh session: ([^,]+), key ([^)]+)\)/.exec(run.stdout)!;
    expect(fresh[1]).not.toBe(/session ([^,]+),/.exec(notes[0]!)![1]);
  });

  it('--session takes a key as well as an id, and --verbose names it before the first message', async () => {
    await using llm = await startFakeOpenAI();
    llm.push(textReply('by key'));
    const gateway = await startGateway({ settings: llmSettings(openaiBaseUrl(llm)), with: agentPlugins });
    const store = await gateway.kernel.services.get(SessionStoreToken);
    const session = await store.create({ agentId: 'main', channel: 'api', key: 'main:api:shared-notes' });

    const run = await chatScript(gateway, ['hello'], { session: 'main:api:shared-notes', verbose: true });

    expect(run).toEqual({ code: 0, stdout: 'by key\n', stderr: `[session ${session.id}, key main:api:shared-notes]\n` });
    expect((await store.history(session.id, 10)).map((m) => m.content)).toEqual(['hello', 'by key']);
  });

  it.each([
    ['an unknown key', 'main:api:nobody', 'session with key "main:api:nobody" not found'],
    ['an unknown id', '0190f0e0-0000-7000-8000-000000000000', 'session "0190f0e0-0000-7000-8000-000000000000" not found'],
  ])('exits 1 before sending anything for %s, saying how to find sessions', async (_what, reference, message) => {
    await using llm = await startFakeOpenAI();
    const gateway = await startGateway({ settings: llmSettings(openaiBaseUrl(llm)), with: agentPlugins });

    const run = await chatScript(gateway, ['hello'], { session: reference });

    expect(run).toEqual({ code: 1, stdout: '', stderr: `nexus chat: --session ${reference}: ${message}; list the sessions, with their ids and keys, with \`nexus sessions list\`\n` });
    expect(llm.streamRequests).toHaveLength(0);
  });
});

/** A keyboard: what the test writes is typed, as a terminal in raw mode delivers it. */
class FakeKeyboard extends PassThrough {
  readonly isTTY = true;
  isRaw = false;
  setRawMode(mode: boolean): this {
    this.isRaw = mode;
    return this;
  }
}

/** A terminal screen: everything written to it, escape sequences included. */
class FakeScreen extends Writable {
  text = '';
  readonly columns = 80;
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
  /** The text without cursor and erase sequences. */
  plain(): string {
    // eslint-disable-next-line no-control-regex
    return this.text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
  }
}

describe('nexus chat on a terminal', () => {
  it('holds back what is typed while a reply streams, then shows it on a fresh prompt below the reply', async () => {
    await using llm = await startFakeOpenAI();
    llm.push({ kind: 'stream', text: ['Hel', 'lo ', 'there'], delayMs: 100, chunkDelayMs: 250 });
    const gateway = await startGateway({ settings: llmSettings(openaiBaseUrl(llm)), with: agentPlugins });
    const keyboard = new FakeKeyboard();
    const screen = new FakeScreen();
    const command = new ChatCommand({
      runtime: undefined as unknown as GatewayRuntime,
      settings: await gateway.kernel.services.get(ConfigToken),
      verifier: () => {
        throw new Error('not used with --address');
      },
      tokens: () => {
        throw new Error('not used with --address');
      },
      env: {},
      input: keyboard,
      terminal: screen,
    });
    let errors = '';
    const run = command.run({
      subcommand: '',
      args: {},
      options: { address: gateway.target, embedded: false, verbose: false },
      configPath: undefined,
      signal: AbortSignal.timeout(20_000),
      stdout: (text) => screen.write(text),
      stderr: (text) => (errors += text),
    });

    await expect.poll(() => screen.plain()).toContain('you> ');
    keyboard.write('hi\r');
    await expect.poll(() => screen.plain(), { timeout: 10_000 }).toContain('Hel');
    // Typed while the reply is still coming.
    keyboard.write('abc');
    await expect.poll(() => screen.plain(), { timeout: 10_000 }).toMatch(/you> abc$/);
    // Ctrl-U clears the line (it was only a test of the typing), then the keyboard goes away.
    keyboard.write('\x15');
    keyboard.end();
    expect(await run).toBe(0);

    const shown = screen.plain();
    expect(shown).toContain('you> hi\r\nHello there\n');
    expect(shown.indexOf('abc')).toBeGreaterThan(shown.indexOf('Hello there\n'));
    expect(errors).toBe('');
  });
});
