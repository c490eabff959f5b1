import type { Selectable } from 'kysely';
import type { Clock, InboundClaim, InboundReceipt, InboundReceiptStore, NewInboundReceipt } from '../../contracts/index.js';
import { checkInstant, checkName, checkNewReceipt, checkWindow } from '../../storage/index.js';
import type { InboundReceiptsTable } from './schema.js';
import { fromTime, toTime, type SqlBackend } from './sql-backend.js';

/** A claim that lost to a prune between its two statements tries again, this many times in all. */
const ATTEMPTS = 3;

/**
 * Receipts in `inbound_receipts`, keyed by (channel, account_id, external_id). A claim is one
 * INSERT … ON CONFLICT DO UPDATE … WHERE the row has aged out of the window: it inserts a new
 * receipt, or replaces an expired one, and returns it; a receipt still inside the window makes
 * the update's WHERE false, so nothing is returned and the earlier receipt is read instead. The
 * database serializes concurrent claims on the primary key, so exactly one of them wins.
 */
export class SqlInboundReceiptStore implements InboundReceiptStore {
  constructor(
    private readonly backend: SqlBackend,
    private readonly clock: Clock,
  ) {}

  async claim(receipt: NewInboundReceipt, options: { readonly windowMs: number }): Promise<InboundClaim> {
    const checked = checkNewReceipt(receipt);
    const windowMs = checkWindow(options?.windowMs);
    const { dialect, db } = this.backend;
    for (let attempt = 1; ; attempt++) {
      const now = this.clock.now();
      const inserted = await db
        .insertInto('inbound_receipts')
        .values({ channel: checked.channel, account_id: checked.accountId, external_id: checked.externalId, message_id: checked.messageId, received_at: toTime(dialect, now) })
        .onConflict((conflict) =>
          conflict
            .columns(['channel', 'account_id', 'external_id'])
            .doUpdateSet((eb) => ({ message_id: eb.ref('excluded.message_id'), received_at: eb.ref('excluded.received_at') }))
            .where('inbound_receipts.received_at', '<=', toTime(dialect, now - windowMs)),
        )
        .returning('message_id')
        .executeTakeFirst();
      if (inserted) return { claimed: true };
      const original = await db
        .selectFrom('inbound_receipts')
        .selectAll()
        .where('channel', '=', checked.channel)
        .where('account_id', '=', checked.accountId)
        .where('external_id', '=', checked.externalId)
        .executeTakeFirst();
      if (original) return { claimed: false, original: toReceipt(original) };
      // Pruned between the two statements: the message is new again.
      if (attempt >= ATTEMPTS) throw new Error(`the receipt of ${checked.channel} message ${checked.externalId} kept vanishing while it was claimed`);
    }
  }

  async prune(channel: string, before: number): Promise<number> {
    const name = checkName('channel', channel);
    const cutoff = checkInstant('before', before);
    const result = await this.backend.db.deleteFrom('inbound_receipts').where('channel', '=', name).where('received_at', '<', toTime(this.backend.dialect, cutoff)).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function toReceipt(row: Selectable<InboundReceiptsTable>): InboundReceipt {
  return { channel: row.channel, accountId: row.account_id, externalId: row.external_id, messageId: row.message_id, receivedAt: fromTime(row.received_at) };
}
