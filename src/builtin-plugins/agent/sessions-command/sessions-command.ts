import {
  COMPACTION_METADATA_KEY,
  CliUsageError,
  inject,
  injectable,
  ServicesToken,
  STORE_LIMITS,
  type CliCommand,
  type CliCommandContext,
  type ServiceRegistry,
  type Session,
  type SessionFilter,
  type SessionStore,
} from '@nexus/plugin-sdk';
import { namedSession, sessionStoreOf } from './session-access.js';
import { messageJson, messageText, sessionDetails, sessionJson, sessionTable, type CountedSession } from './session-report.js';

/** As the manifest declares them, across the sub-commands. */
type SessionsOptions = { readonly agent?: string; readonly channel?: string; readonly limit?: number; readonly yes?: boolean; readonly json: boolean };
type SessionsArgs = { readonly session?: string };

/**
 * `nexus sessions list | show | reset | delete`: the sessions in the store, read and changed
 * straight on the database, as `nexus prompt` reads them. A session is named by its id or its
 * key, through `findSession`, as everywhere else.
 */
@injectable()
export class SessionsCommand implements CliCommand {
  readonly name = 'sessions';

  constructor(@inject(ServicesToken) private readonly services: ServiceRegistry) {}

  async run(ctx: CliCommandContext<SessionsArgs, SessionsOptions>): Promise<number> {
    const reference = ctx.args.session ?? '';
    try {
      switch (ctx.subcommand) {
        case 'list':
          return await this.list(ctx);
        case 'show':
          return await this.show(ctx, reference);
        case 'reset':
          return await this.reset(ctx, reference);
        case 'delete':
          return await this.delete(ctx, reference);
        default:
          throw new CliUsageError('choose a subcommand: list, show, reset or delete');
      }
    } catch (error) {
      if (error instanceof CliUsageError) throw error;
      ctx.stderr(`nexus sessions ${ctx.subcommand}: ${(error as Error).message}\n`);
      return 1;
    }
  }

  private async list(ctx: CliCommandContext<SessionsArgs, SessionsOptions>): Promise<number> {
    const limit = ctx.options.limit ?? 100;
    if (limit < 1) throw new CliUsageError('--limit must be 1 or more');
    const filter: SessionFilter = {
      ...(ctx.options.agent !== undefined ? { agentId: ctx.options.agent } : {}),
      ...(ctx.options.channel !== undefined ? { channel: ctx.options.channel } : {}),
    };
    const store = await sessionStoreOf(this.services);
    const { sessions, total } = await listUpTo(store, filter, limit);
    const rows = await counted(store, sessions);
    if (ctx.options.json) {
      ctx.stdout(`${JSON.stringify({ total, sessions: rows.map(sessionJson) }, null, 2)}\n`);
      return 0;
    }
    if (rows.length === 0) {
      const filtered = filter.agentId !== undefined || filter.channel !== undefined;
      ctx.stdout(filtered ? 'no session matches --agent/--channel; drop them to see every session\n' : 'no sessions yet: a session is created when its first message arrives (nexus chat, a channel, the API)\n');
      return 0;
    }
    ctx.stdout(sessionTable(rows));
    if (total > rows.length) ctx.stdout(`${rows.length} of ${total} sessions, the newest first; --limit ${total} shows them all\n`);
    return 0;
  }

  private async show(ctx: CliCommandContext<SessionsArgs, SessionsOptions>, reference: string): Promise<number> {
    const limit = ctx.options.limit ?? 20;
    if (limit < 1 || limit > STORE_LIMITS.pageSize) throw new CliUsageError(`--limit must be from 1 to ${STORE_LIMITS.pageSize}`);
    const { store, session } = await namedSession(this.services, reference);
    const [messages, [row]] = await Promise.all([store.history(session.id, limit), counted(store, [session])]);
    if (ctx.options.json) {
      ctx.stdout(`${JSON.stringify({ session: sessionJson(row!), messages: messages.map(messageJson) }, null, 2)}\n`);
      return 0;
    }
    ctx.stdout(sessionDetails(row!));
    if (messages.length === 0) {
      ctx.stdout('\nno messages yet\n');
      return 0;
    }
    const which = messages.length === row!.messages ? `all ${messages.length}` : row!.messages === undefined ? `the last ${messages.length}` : `the last ${messages.length} of ${row!.messages}`;
    ctx.stdout(`\n${which} messages, oldest first:\n`);
    for (const message of messages) ctx.stdout(messageText(message));
    return 0;
  }

  /**
   * Clears the messages, and the compactor's summary of them (session metadata): the next turn
   * starts the conversation over. What a memory flush wrote to the workspace's memory files stays.
   */
  private async reset(ctx: CliCommandContext<SessionsArgs, SessionsOptions>, reference: string): Promise<number> {
    const { store, session } = await namedSession(this.services, reference);
    if (!store.clearHistory) {
      throw new Error(`nothing changed: the storage plugin in the storage slot cannot clear a history (it has no SessionStore.clearHistory, which came after SDK 1.0); update it, or remove the whole session with \`nexus sessions delete ${reference} --yes\``);
    }
    const cleared = await store.clearHistory(session.id);
    const compacted = COMPACTION_METADATA_KEY in session.metadata;
    if (compacted) {
      const { [COMPACTION_METADATA_KEY]: _dropped, ...metadata } = (await store.get(session.id)).metadata;
      await store.update(session.id, { metadata });
    }
    if (ctx.options.json) {
      ctx.stdout(`${JSON.stringify({ id: session.id, key: session.key, clearedMessages: cleared, clearedCompactionSummary: compacted })}\n`);
      return 0;
    }
    ctx.stdout(`reset session ${session.id} (${session.key}): ${cleared} message${cleared === 1 ? '' : 's'} deleted${compacted ? ', and its compaction summary' : ''}; its next message starts a new history\n`);
    return 0;
  }

  private async delete(ctx: CliCommandContext<SessionsArgs, SessionsOptions>, reference: string): Promise<number> {
    const { store, session } = await namedSession(this.services, reference);
    const [row] = await counted(store, [session]);
    if (ctx.options.yes !== true) {
      ctx.stderr(`nexus sessions delete: not deleted: session ${session.id} (${session.key}) and its ${messagesText(row!.messages)} would be gone for good; run again with --yes to delete it (or \`nexus sessions reset\` to keep the session and clear only its history)\n`);
      return 1;
    }
    await store.delete(session.id);
    if (ctx.options.json) {
      ctx.stdout(`${JSON.stringify({ id: session.id, key: session.key, deleted: true, deletedMessages: row!.messages ?? null })}\n`);
      return 0;
    }
    ctx.stdout(`deleted session ${session.id} (${session.key}) with its ${messagesText(row!.messages)}; a new message to ${session.key} starts a new session\n`);
    return 0;
  }
}

/** Up to `limit` sessions, the newest first, page by page (a page holds at most `STORE_LIMITS.pageSize`). */
async function listUpTo(store: SessionStore, filter: SessionFilter, limit: number): Promise<{ sessions: Session[]; total: number }> {
  const sessions: Session[] = [];
  let cursor: string | undefined;
  let total = 0;
  do {
    const page = await store.list(filter, { limit: Math.min(STORE_LIMITS.pageSize, limit - sessions.length), ...(cursor !== undefined ? { cursor } : {}) });
    sessions.push(...page.items);
    total = page.total;
    cursor = page.nextCursor;
  } while (cursor !== undefined && sessions.length < limit);
  return { sessions, total };
}

/** The sessions with their message counts, read a page at a time. */
async function counted(store: SessionStore, sessions: readonly Session[]): Promise<CountedSession[]> {
  const rows: CountedSession[] = [];
  for (let i = 0; i < sessions.length; i += STORE_LIMITS.pageSize) {
    const chunk = sessions.slice(i, i + STORE_LIMITS.pageSize);
    const counts = store.countMessages ? await store.countMessages(chunk.map((s) => s.id)) : undefined;
    for (const session of chunk) rows.push({ session, messages: counts ? (counts.get(session.id) ?? 0) : undefined });
  }
  return rows;
}

/** `3 messages`, `1 message`, or `messages` when the store cannot count them. */
function messagesText(count: number | undefined): string {
  return count === undefined ? 'messages' : `${count} message${count === 1 ? '' : 's'}`;
}
