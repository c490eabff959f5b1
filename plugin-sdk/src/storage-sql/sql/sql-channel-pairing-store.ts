import type { Selectable } from 'kysely';
import type { ChannelPairingStore, Clock, PairingRequest } from '../../contracts/index.js';
import { checkDecision, checkName, checkPairingCode, checkPairingInput, checkPairingStatus, newPairingCode } from '../../storage/index.js';
import type { ChannelPairingsTable } from './schema.js';
import { fromTime, isUniqueViolation, toTime, type SqlBackend } from './sql-backend.js';

/** A new code that collides with a pending one (40 random bits: practically never) is drawn again, this many times in all. */
const ATTEMPTS = 5;

/**
 * Requests in `channel_pairings`, one row per (channel, account_id, sender_id). A request is one
 * INSERT … ON CONFLICT DO UPDATE … WHERE the row is neither approved nor a live pending code: it
 * inserts a new request or replaces an expired or denied one, and returns it; a live request
 * makes the WHERE false, nothing is returned, and the live row is read instead. The database
 * serializes concurrent requests of one sender on the primary key, so they agree on one code.
 */
export class SqlChannelPairingStore implements ChannelPairingStore {
  constructor(
    private readonly backend: SqlBackend,
    private readonly clock: Clock,
  ) {}

  async request(input: Parameters<ChannelPairingStore['request']>[0]): Promise<{ readonly request: PairingRequest; readonly created: boolean }> {
    const checked = checkPairingInput(input);
    const { dialect, db } = this.backend;
    for (let attempt = 1; ; attempt++) {
      const now = this.clock.now();
      try {
        const inserted = await db
          .insertInto('channel_pairings')
          .values({
            channel: checked.channel,
            account_id: checked.accountId,
            sender_id: checked.senderId,
            sender_name: checked.senderName ?? null,
            code: newPairingCode(),
            status: 'pending',
            requested_at: toTime(dialect, now),
            expires_at: toTime(dialect, now + checked.ttlMs),
            decided_at: null,
          })
          .onConflict((conflict) =>
            conflict
              .columns(['channel', 'account_id', 'sender_id'])
              .doUpdateSet((eb) => ({
                sender_name: eb.ref('excluded.sender_name'),
                code: eb.ref('excluded.code'),
                status: eb.ref('excluded.status'),
                requested_at: eb.ref('excluded.requested_at'),
                expires_at: eb.ref('excluded.expires_at'),
                decided_at: null,
              }))
              .where((eb) =>
                eb.or([eb('channel_pairings.status', '=', 'denied'), eb.and([eb('channel_pairings.status', '=', 'pending'), eb('channel_pairings.expires_at', '<=', toTime(dialect, now))])]),
              ),
          )
          .returningAll()
          .executeTakeFirst();
        if (inserted) return { request: toRequest(inserted), created: true };
      } catch (error) {
        // The partial unique index on pending codes: another sender holds this code. Draw again.
        if (isUniqueViolation(error) && attempt < ATTEMPTS) continue;
        throw error;
      }
      const live = await db
        .selectFrom('channel_pairings')
        .selectAll()
        .where('channel', '=', checked.channel)
        .where('account_id', '=', checked.accountId)
        .where('sender_id', '=', checked.senderId)
        .executeTakeFirst();
      if (live) return { request: toRequest(live), created: false };
      // Revoked between the two statements: ask again.
      if (attempt >= ATTEMPTS) throw new Error(`the pairing request of ${checked.channel} sender ${checked.senderId} kept vanishing while it was made`);
    }
  }

  async isApproved(channel: string, accountId: string, senderId: string): Promise<boolean> {
    const row = await this.backend.db
      .selectFrom('channel_pairings')
      .select('status')
      .where('channel', '=', checkName('channel', channel))
      .where('account_id', '=', checkName('accountId', accountId))
      .where('sender_id', '=', checkName('senderId', senderId))
      .executeTakeFirst();
    return row?.status === 'approved';
  }

  async decide(channel: string, code: string, decision: 'approved' | 'denied'): Promise<PairingRequest | undefined> {
    const name = checkName('channel', channel);
    const status = checkDecision(decision);
    const normalized = checkPairingCode(code);
    if (!normalized) return undefined;
    const { dialect, db } = this.backend;
    const now = toTime(dialect, this.clock.now());
    const row = await db
      .updateTable('channel_pairings')
      .set({ status, decided_at: now })
      .where('channel', '=', name)
      .where('code', '=', normalized)
      .where('status', '=', 'pending')
      .where('expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
    return row ? toRequest(row) : undefined;
  }

  async list(options: { readonly channel?: string; readonly status?: PairingRequest['status'] } = {}): Promise<readonly PairingRequest[]> {
    const channel = options.channel === undefined ? undefined : checkName('options.channel', options.channel);
    const status = checkPairingStatus(options.status);
    const { dialect, db } = this.backend;
    const now = toTime(dialect, this.clock.now());
    let query = db.selectFrom('channel_pairings').selectAll();
    if (channel !== undefined) query = query.where('channel', '=', channel);
    if (status !== undefined) query = query.where('status', '=', status);
    query = query.where((eb) => eb.or([eb('status', '<>', 'pending'), eb('expires_at', '>', now)]));
    const rows = await query.orderBy('requested_at', 'desc').orderBy('channel').orderBy('account_id').orderBy('sender_id').execute();
    return rows.map(toRequest);
  }

  async revoke(channel: string, accountId: string, senderId: string): Promise<boolean> {
    const result = await this.backend.db
      .deleteFrom('channel_pairings')
      .where('channel', '=', checkName('channel', channel))
      .where('account_id', '=', checkName('accountId', accountId))
      .where('sender_id', '=', checkName('senderId', senderId))
      .where('status', '=', 'approved')
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

function toRequest(row: Selectable<ChannelPairingsTable>): PairingRequest {
  return {
    channel: row.channel,
    accountId: row.account_id,
    senderId: row.sender_id,
    ...(row.sender_name === null ? {} : { senderName: row.sender_name }),
    code: row.code,
    status: row.status as PairingRequest['status'],
    requestedAt: fromTime(row.requested_at),
    expiresAt: fromTime(row.expires_at),
    ...(row.decided_at === null ? {} : { decidedAt: fromTime(row.decided_at) }),
  };
}
