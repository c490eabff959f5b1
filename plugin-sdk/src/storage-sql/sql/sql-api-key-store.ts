import { sql, type Selectable } from 'kysely';
import { AlreadyExistsError, NotFoundError, type ApiKeyRecord, type ApiKeyStore, type Clock } from '../../contracts/index.js';
import { API_KEY_TAKEN, checkApiKey, checkId, hashApiKey, sameHash, type UuidV7Generator } from '../../storage/index.js';
import type { ApiKeysTable } from './schema.js';
import { fromTime, isUniqueViolation, toTime, type SqlBackend } from './sql-backend.js';

export class SqlApiKeyStore implements ApiKeyStore {
  constructor(
    private readonly backend: SqlBackend,
    private readonly clock: Clock,
    private readonly ids: UuidV7Generator,
  ) {}

  async create(input: { readonly name: string; readonly userId: string; readonly key: string }): Promise<ApiKeyRecord> {
    const checked = checkApiKey(input);
    const now = this.clock.now();
    const row = { id: this.ids.next(now), name: checked.name, user_id: checked.userId, key_hash: hashApiKey(checked.key), created_at: toTime(this.backend.dialect, now), revoked_at: null };
    try {
      await this.backend.db.insertInto('api_keys').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new AlreadyExistsError('API key', '', API_KEY_TAKEN);
      throw error;
    }
    return toRecord({ ...row, created_at: now });
  }

  async verify(key: string): Promise<ApiKeyRecord | undefined> {
    if (typeof key !== 'string' || key.length === 0) return undefined;
    const hash = hashApiKey(key);
    const row = await this.backend.db.selectFrom('api_keys').selectAll().where('key_hash', '=', hash).executeTakeFirst();
    if (!row || !sameHash(row.key_hash, hash) || row.revoked_at !== null) return undefined;
    return toRecord(row);
  }

  async list(): Promise<readonly ApiKeyRecord[]> {
    const rows = await this.backend.db.selectFrom('api_keys').selectAll().orderBy('id', 'asc').execute();
    return rows.map(toRecord);
  }

  async revoke(id: string): Promise<void> {
    const key = checkId('apiKey.id', id);
    const now = toTime(this.backend.dialect, this.clock.now());
    const result = await this.backend.db
      .updateTable('api_keys')
      .set({ revoked_at: sql<Date | number>`coalesce(revoked_at, ${now})` })
      .where('id', '=', key)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new NotFoundError('API key', id);
  }
}

function toRecord(row: Selectable<ApiKeysTable>): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    userId: row.user_id,
    createdAt: fromTime(row.created_at),
    ...(row.revoked_at !== null ? { revokedAt: fromTime(row.revoked_at) } : {}),
  };
}
