import { AlreadyExistsError, NotFoundError, type ApiKeyRecord, type ApiKeyStore, type Clock } from '@nexus/plugin-sdk';
import { API_KEY_TAKEN, checkApiKey, checkId, hashApiKey, sameHash, type UuidV7Generator } from '@nexus/plugin-sdk/storage';

interface KeyRow {
  readonly record: ApiKeyRecord;
  readonly hash: string;
}

export class MemoryApiKeyStore implements ApiKeyStore {
  /** By hash: the key itself is never kept. */
  private readonly byHash = new Map<string, KeyRow>();
  private readonly byId = new Map<string, KeyRow>();

  constructor(
    private readonly clock: Clock,
    private readonly ids: UuidV7Generator,
  ) {}

  async create(input: { readonly name: string; readonly userId: string; readonly key: string }): Promise<ApiKeyRecord> {
    const checked = checkApiKey(input);
    const hash = hashApiKey(checked.key);
    if (this.byHash.has(hash)) throw new AlreadyExistsError('API key', '', API_KEY_TAKEN);
    const now = this.clock.now();
    const row: KeyRow = { record: { id: this.ids.next(now), name: checked.name, userId: checked.userId, createdAt: now }, hash };
    this.byHash.set(hash, row);
    this.byId.set(row.record.id, row);
    return { ...row.record };
  }

  async verify(key: string): Promise<ApiKeyRecord | undefined> {
    if (typeof key !== 'string' || key.length === 0) return undefined;
    const hash = hashApiKey(key);
    const row = this.byHash.get(hash);
    if (!row || !sameHash(row.hash, hash) || row.record.revokedAt !== undefined) return undefined;
    return { ...row.record };
  }

  async list(): Promise<readonly ApiKeyRecord[]> {
    return [...this.byId.values()].map((r) => ({ ...r.record })).sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  async revoke(id: string): Promise<void> {
    const row = this.byId.get(checkId('apiKey.id', id));
    if (!row) throw new NotFoundError('API key', id);
    if (row.record.revokedAt !== undefined) return;
    const revoked: KeyRow = { record: { ...row.record, revokedAt: this.clock.now() }, hash: row.hash };
    this.byId.set(row.record.id, revoked);
    this.byHash.set(row.hash, revoked);
  }
}
