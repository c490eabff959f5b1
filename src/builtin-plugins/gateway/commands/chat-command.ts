import { createInterface } from 'node:readline';
import {
  AuthError,
  type CliCommand,
  type CliCommandContext,
  type ConfigAccess,
  type CredentialVerifier,
  type TokenIssuer,
} from '@nexus/plugin-sdk';
import { readAuthSettings, readServerSettings } from '../auth/index.js';
import { GatewayClient, type ClientCredentials, type TurnResult } from '../client/gateway-client.js';
import type { GatewayRuntime } from '../gateway-runtime.js';
import { formatAddress } from '../grpc/grpc-server.js';
import { chatOptions, type ChatFlags, type ChatOptions } from './chat-options.js';
import { ChatSession, NEW_SESSION_COMMAND } from './chat-session.js';
import { HeldTerminal, type TerminalOutput } from './chat-terminal.js';
import { unansweredNote } from './unanswered-note.js';

const PROMPT = 'you> ';

export interface ChatCommandDeps {
  readonly runtime: GatewayRuntime;
  readonly settings: ConfigAccess;
  readonly verifier: () => CredentialVerifier;
  readonly tokens: () => TokenIssuer;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Lines typed by the user; the process's stdin by default. */
  readonly input?: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Where the prompt and the typing are drawn when the input is a terminal; the process's stdout by default. */
  readonly terminal?: TerminalOutput;
}

/** `nexus chat`: a terminal client over `NexusGateway.Stream`, or `--embedded` with its own gateway. */
export class ChatCommand implements CliCommand {
  readonly name = 'chat';

  constructor(private readonly deps: ChatCommandDeps) {}

  async run(ctx: CliCommandContext<Record<string, never>, ChatFlags>): Promise<number> {
    const args = chatOptions(ctx.options, this.deps.env);
    let client: GatewayClient;
    try {
      client = await this.connect(args);
    } catch (error) {
      ctx.stderr(`nexus chat: ${(error as Error).message}\n`);
      return 1;
    }
    try {
      let session: ChatSession;
      try {
        session = await ChatSession.open(client, ctx, args.session, args.verbose);
      } catch (error) {
        ctx.stderr(`nexus chat: --session ${args.session}: ${(error as Error).message}\n`);
        return 1;
      }
      if (args.message !== undefined) return await this.once(client, args.message, session, ctx);
      return await this.converse(client, session, ctx);
    } finally {
      client.close();
    }
  }

  private async connect(args: ChatOptions): Promise<GatewayClient> {
    const given: ClientCredentials = args.token ? { token: args.token } : args.apiKey ? { apiKey: args.apiKey } : undefined;
    if (!args.embedded) {
      const server = readServerSettings(this.deps.settings);
      const host = server.host === '0.0.0.0' || server.host === '::' ? '127.0.0.1' : server.host;
      return new GatewayClient(args.address ?? formatAddress({ host, port: server.grpc_port }), given);
    }
    const address = await this.deps.runtime.openEmbedded();
    return new GatewayClient(formatAddress(address), given ?? (await this.embeddedCredentials()));
  }

  /**
   * In-process, the caller is the operator, who holds the config and its secret (and could mint an
   * admin token with `nexus auth token --admin`): mint one when credentials are required and can
   * be, so `--session` reaches any session, as an anonymous local caller's would.
   */
  private async embeddedCredentials(): Promise<ClientCredentials> {
    if (!(await this.deps.verifier().required())) return undefined;
    if (!readAuthSettings(this.deps.settings).jwt_secret) {
      throw new AuthError('unauthenticated', 'the gateway requires credentials (API keys exist, or did: see `nexus auth reset-open-access`); pass --api-key KEY or set NEXUS_API_KEY');
    }
    const { token } = await this.deps.tokens().issue('operator', { expiresIn: '12h', role: 'admin' });
    return { token };
  }

  private async once(client: GatewayClient, message: string, session: ChatSession, ctx: CliCommandContext): Promise<number> {
    const result = await client
      .send(message, { sessionId: session.id, signal: ctx.signal, onText: ctx.stdout, onToolCall: (name) => ctx.stderr(`[tool ${name}]\n`) })
      .catch((error: unknown) => ({ ok: false as const, code: 'connection', message: (error as Error).message, sessionId: '' }));
    if (!result.ok) {
      ctx.stderr(`\nnexus chat: ${result.code}: ${result.message}\n`);
      return 1;
    }
    await this.answered(result, session, ctx);
    return 0;
  }

  private async converse(client: GatewayClient, session: ChatSession, ctx: CliCommandContext): Promise<number> {
    const input = this.deps.input ?? process.stdin;
    const interactive = input.isTTY === true;
    // On a terminal the typing is held back while a reply streams, so it cannot garble it.
    const screen = interactive ? new HeldTerminal(this.deps.terminal ?? process.stdout) : undefined;
    const lines = createInterface({ input, output: screen?.asOutput(), terminal: interactive, prompt: PROMPT });
    let turn: AbortController | undefined;
    let failures = 0;
    // Piped input can end while a turn runs: the lines already read are still served, but from
    // Node 22 on, prompting a closed interface throws.
    let closed = false;
    lines.once('close', () => (closed = true));
    const prompt = () => {
      if (!closed) lines.prompt();
    };
    // Ctrl-C cancels the reply in progress; at the prompt it quits.
    lines.on('SIGINT', () => (turn ? turn.abort() : lines.close()));
    ctx.signal.addEventListener('abort', () => (turn?.abort(), lines.close()), { once: true });
    if (interactive) ctx.stdout(`Connected to ${client.address}. Type a message; ${NEW_SESSION_COMMAND} starts a fresh session; Ctrl-D quits.\n`);
    lines.prompt();
    for await (const line of lines) {
      screen?.showIfUnseen(PROMPT, line);
      if (line.trim() === '') {
        prompt();
        continue;
      }
      turn = new AbortController();
      screen?.hold(lines);
      try {
        if (line.trim() === NEW_SESSION_COMMAND) {
          const fresh = await session.startFresh();
          ctx.stdout(`(a fresh session: ${fresh.id}, key ${fresh.key})\n`);
        } else {
          failures += await this.turn(client, line, session, turn.signal, ctx);
        }
      } catch (error) {
        failures++;
        ctx.stderr(`nexus chat: ${(error as Error).message}\n`);
      } finally {
        turn = undefined;
      }
      if (closed) continue;
      if (screen) screen.resume(lines);
      else prompt();
    }
    if (interactive) ctx.stdout('\n');
    // Piped input is a script: report whether every message got its answer.
    return !interactive && failures > 0 ? 1 : 0;
  }

  /** One message of the conversation and its reply; 1 when it got no answer. */
  private async turn(client: GatewayClient, line: string, session: ChatSession, signal: AbortSignal, ctx: CliCommandContext): Promise<number> {
    const result = await client.send(line, { sessionId: session.id, signal, onText: ctx.stdout, onToolCall: (name) => ctx.stderr(`[tool ${name}]\n`) });
    if (!result.ok) {
      ctx.stderr(`\n${result.code === 'cancelled' ? '(cancelled)' : `error ${result.code}: ${result.message}`}\n`);
      return 1;
    }
    await this.answered(result, session, ctx);
    return 0;
  }

  /** After the reply: a note on messages that went unanswered before it, and where the conversation now is. */
  private async answered(result: Extract<TurnResult, { ok: true }>, session: ChatSession, ctx: CliCommandContext): Promise<void> {
    ctx.stdout('\n');
    const note = unansweredNote(result.reply);
    if (note) ctx.stderr(`${note}\n`);
    await session.replied(result.sessionId);
  }
}
