import { AlreadyExistsError, NotFoundError, type Agent, type AgentStore, type Clock, type Page, type PageRequest } from '@nexus/plugin-sdk';
import { checkAgentPatch, checkId, checkName, checkNewAgent, checkPage, type UuidV7Generator } from '@nexus/plugin-sdk/storage';
import { pageOf } from './memory-paging.js';

export class MemoryAgentStore implements AgentStore {
  private readonly agents = new Map<string, Agent>();

  constructor(
    private readonly clock: Clock,
    private readonly ids: UuidV7Generator,
  ) {}

  async create(agent: Omit<Agent, 'id' | 'createdAt' | 'updatedAt'>): Promise<Agent> {
    const checked = checkNewAgent(agent);
    this.assertNameFree(checked.userId, checked.name, undefined);
    const now = this.clock.now();
    const row = withoutUndefined({ id: this.ids.next(now), ...checked, createdAt: now, updatedAt: now });
    this.agents.set(row.id, row);
    return { ...row };
  }

  async get(id: string): Promise<Agent> {
    return { ...this.row(checkId('agent.id', id)) };
  }

  async update(id: string, patch: Partial<Pick<Agent, 'name' | 'model' | 'systemPrompt'>>): Promise<Agent> {
    const row = this.row(checkId('agent.id', id));
    const checked = checkAgentPatch(patch ?? {});
    if (checked.name !== undefined) this.assertNameFree(row.userId, checked.name, row.id);
    const next = withoutUndefined({ ...row, ...checked, updatedAt: this.clock.now() });
    this.agents.set(row.id, next);
    return { ...next };
  }

  async delete(id: string): Promise<void> {
    this.agents.delete(this.row(checkId('agent.id', id)).id);
  }

  async list(userId: string, page: PageRequest): Promise<Page<Agent>> {
    const user = checkName('userId', userId);
    const checked = checkPage(page);
    return pageOf([...this.agents.values()].filter((a) => a.userId === user), checked, 'oldest-first', (a) => ({ ...a }));
  }

  private assertNameFree(userId: string, name: string, self: string | undefined): void {
    for (const agent of this.agents.values()) {
      if (agent.userId === userId && agent.name === name && agent.id !== self) throw new AlreadyExistsError(`agent of user ${userId} named`, name);
    }
  }

  private row(id: string): Agent {
    const row = this.agents.get(id);
    if (!row) throw new NotFoundError('agent', id);
    return row;
  }
}

/** Optional fields that are unset are absent, as the SQL stores return them. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
