import type { Selectable } from 'kysely';
import { AlreadyExistsError, NotFoundError, type Agent, type AgentStore, type Clock, type Page, type PageRequest } from '../../contracts/index.js';
import { checkAgentPatch, checkId, checkName, checkNewAgent, checkPage, type UuidV7Generator } from '../../storage/index.js';
import type { AgentsTable } from './schema.js';
import { fromTime, isUniqueViolation, toTime, type SqlBackend } from './sql-backend.js';
import { pageFrom } from './sql-session-store.js';

export class SqlAgentStore implements AgentStore {
  constructor(
    private readonly backend: SqlBackend,
    private readonly clock: Clock,
    private readonly ids: UuidV7Generator,
  ) {}

  async create(agent: Omit<Agent, 'id' | 'createdAt' | 'updatedAt'>): Promise<Agent> {
    const checked = checkNewAgent(agent);
    const now = this.clock.now();
    const time = toTime(this.backend.dialect, now);
    const row = { id: this.ids.next(now), user_id: checked.userId, name: checked.name, model: checked.model ?? null, system_prompt: checked.systemPrompt ?? null, created_at: time, updated_at: time };
    await this.nameClash(checked.userId, checked.name, () => this.backend.db.insertInto('agents').values(row).execute());
    return toAgent({ ...row, created_at: now, updated_at: now });
  }

  async get(id: string): Promise<Agent> {
    const row = await this.backend.db.selectFrom('agents').selectAll().where('id', '=', checkId('agent.id', id)).executeTakeFirst();
    if (!row) throw new NotFoundError('agent', id);
    return toAgent(row);
  }

  async update(id: string, patch: Partial<Pick<Agent, 'name' | 'model' | 'systemPrompt'>>): Promise<Agent> {
    const key = checkId('agent.id', id);
    const checked = checkAgentPatch(patch ?? {});
    const query = this.backend.db
      .updateTable('agents')
      .set({
        ...(checked.name !== undefined ? { name: checked.name } : {}),
        ...('model' in checked ? { model: checked.model ?? null } : {}),
        ...('systemPrompt' in checked ? { system_prompt: checked.systemPrompt ?? null } : {}),
        updated_at: toTime(this.backend.dialect, this.clock.now()),
      })
      .where('id', '=', key)
      .returningAll();
    const row = await this.nameClash(undefined, checked.name, () => query.executeTakeFirst());
    if (!row) throw new NotFoundError('agent', id);
    return toAgent(row);
  }

  async delete(id: string): Promise<void> {
    const result = await this.backend.db.deleteFrom('agents').where('id', '=', checkId('agent.id', id)).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw new NotFoundError('agent', id);
  }

  async list(userId: string, page: PageRequest): Promise<Page<Agent>> {
    const user = checkName('userId', userId);
    const checked = checkPage(page);
    const base = this.backend.db.selectFrom('agents').where('user_id', '=', user);
    const [rows, count] = await Promise.all([
      (checked.after === undefined ? base : base.where('id', '>', checked.after)).selectAll().orderBy('id', 'asc').limit(checked.limit + 1).execute(),
      base.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return pageFrom(rows, checked.limit, Number(count.n), toAgent);
  }

  /** Runs `write`, turning a clash on (user_id, name) into AlreadyExistsError. */
  private async nameClash<T>(userId: string | undefined, name: string | undefined, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error)) throw new AlreadyExistsError(userId === undefined ? 'agent named' : `agent of user ${userId} named`, name ?? '');
      throw error;
    }
  }
}

function toAgent(row: Selectable<AgentsTable>): Agent {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    ...(row.model !== null ? { model: row.model } : {}),
    ...(row.system_prompt !== null ? { systemPrompt: row.system_prompt } : {}),
    createdAt: fromTime(row.created_at),
    updatedAt: fromTime(row.updated_at),
  };
}
