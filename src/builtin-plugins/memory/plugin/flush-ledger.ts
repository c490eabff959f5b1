import type { FlushRecord } from '../compaction/index.js';
import type { SqlClient } from '../sql/index.js';

export interface FlushSummary {
  /** Flushes by outcome, over every session. */
  readonly outcomes: Readonly<Record<FlushRecord['outcome'], number>>;
  readonly recent: readonly (FlushRecord & { readonly session_id: string })[];
}

const OUTCOMES: readonly FlushRecord['outcome'][] = ['written', 'unconfirmed', 'nothing', 'skipped', 'failed'];

/** Flush confirmations in `memory_flushes`: one row per session and cycle, for `nexus memory stats`. */
export class FlushLedger {
  constructor(private readonly sql: SqlClient) {}

  async record(sessionId: string, record: FlushRecord): Promise<void> {
    const confirmed = record.writes.filter((w) => w.confirmed).length;
    const params = [sessionId, record.cycle, record.at, record.outcome, record.writes.length, confirmed, JSON.stringify(record)];
    // A cycle flushes once; a second record for it (a retry after a crash) replaces the first.
    await this.sql.run(
      'INSERT INTO memory_flushes (session_id, cycle, at, outcome, writes, confirmed, record) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session_id, cycle) DO UPDATE SET at = excluded.at, outcome = excluded.outcome, writes = excluded.writes, confirmed = excluded.confirmed, record = excluded.record',
      params,
    );
  }

  async summary(recent = 5): Promise<FlushSummary> {
    const rows = await this.sql.all<{ outcome: string; n: number | string }>('SELECT outcome, COUNT(*) AS n FROM memory_flushes GROUP BY outcome');
    const outcomes = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<FlushRecord['outcome'], number>;
    for (const row of rows) if (OUTCOMES.includes(row.outcome as FlushRecord['outcome'])) outcomes[row.outcome as FlushRecord['outcome']] = Number(row.n);
    const last = await this.sql.all<{ session_id: string; record: string }>('SELECT session_id, record FROM memory_flushes ORDER BY at DESC LIMIT ?', [recent]);
    return { outcomes, recent: last.map((row) => ({ session_id: row.session_id, ...(JSON.parse(row.record) as FlushRecord) })) };
  }
}
