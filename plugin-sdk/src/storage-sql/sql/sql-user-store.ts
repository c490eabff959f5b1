import type { Selectable } from 'kysely';
import { ConflictError, NotFoundError, type Clock, type User, type UserIdentity, type UserStore } from '../../contracts/index.js';
import { checkId, checkIdentity, type CheckedIdentity, type UuidV7Generator } from '../../storage/index.js';
import type { UsersTable } from './schema.js';
import { fromTime, isUniqueViolation, toTime, type SqlBackend } from './sql-backend.js';

/** Concurrent first sign-ins race on unique keys; the loser reads what the winner wrote. */
const ATTEMPTS = 5;

export class SqlUserStore implements UserStore {
  constructor(
    private readonly backend: SqlBackend,
    private readonly clock: Clock,
    private readonly ids: UuidV7Generator,
  ) {}

  async findOrCreate(identity: UserIdentity): Promise<User> {
    const checked = checkIdentity(identity);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const linked = await this.byIdentity(checked);
      if (linked) return toUser(linked);
      try {
        const user = await this.linkOrCreate(checked);
        if (user) return user;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    }
    throw new ConflictError(`could not settle the user for ${checked.provider} identity "${checked.providerId}": concurrent sign-ins kept clashing; try again`);
  }

  async get(id: string): Promise<User> {
    const row = await this.backend.db.selectFrom('users').selectAll().where('id', '=', checkId('user.id', id)).executeTakeFirst();
    if (!row) throw new NotFoundError('user', id);
    return toUser(row);
  }

  /** Links the identity to the user with its email, or creates both; undefined when another sign-in won a race. */
  private async linkOrCreate(checked: CheckedIdentity): Promise<User | undefined> {
    const { db, dialect } = this.backend;
    const now = this.clock.now();
    const time = toTime(dialect, now);
    return db.transaction().execute(async (trx) => {
      const byEmail = checked.emailKey === undefined ? undefined : await trx.selectFrom('users').selectAll().where('email_key', '=', checked.emailKey).executeTakeFirst();
      let user: Selectable<UsersTable>;
      if (byEmail) {
        user = byEmail;
      } else {
        user = { id: this.ids.next(now), email: checked.email ?? null, email_key: checked.emailKey ?? null, name: checked.name ?? null, created_at: now };
        await trx.insertInto('users').values({ ...user, created_at: time }).execute();
      }
      const inserted = await trx
        .insertInto('user_identities')
        .values({ provider: checked.provider, provider_id: checked.providerId, user_id: user.id, created_at: time })
        .onConflict((oc) => oc.columns(['provider', 'provider_id']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
        // Another sign-in linked this identity first: undo our user, if we made one, and re-read.
        if (!byEmail) await trx.deleteFrom('users').where('id', '=', user.id).execute();
        return undefined;
      }
      return toUser(user);
    });
  }

  private byIdentity(checked: CheckedIdentity): Promise<Selectable<UsersTable> | undefined> {
    return this.backend.db
      .selectFrom('user_identities as i')
      .innerJoin('users as u', 'u.id', 'i.user_id')
      .selectAll('u')
      .where('i.provider', '=', checked.provider)
      .where('i.provider_id', '=', checked.providerId)
      .executeTakeFirst();
  }
}

function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    ...(row.email !== null ? { email: row.email } : {}),
    ...(row.name !== null ? { name: row.name } : {}),
    createdAt: fromTime(row.created_at),
  };
}
