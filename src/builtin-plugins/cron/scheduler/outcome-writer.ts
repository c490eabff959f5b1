import type { RunKey, SqlClient } from '../store/index.js';
import { RunTransitions } from '../store/index.js';

type Status = Parameters<RunTransitions['finish']>[1];

interface PendingOutcome {
  readonly run: RunKey;
  readonly status: Status;
  readonly now: number;
  readonly error?: string;
  readonly output?: string;
  readonly resolve: (owned: boolean) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Records run outcomes with group commit. Each commit is an fsync on SQLite (and SQLite drivers
 * block the event loop meanwhile), so commits are what limits how many runs a second can start
 * on time. Outcomes therefore wait while a scheduling pass runs and are written in the pass's own
 * transaction, together with its claims; otherwise they are written at once, and those arriving
 * while one transaction is written go together in the next.
 */
export class OutcomeWriter {
  private pending: PendingOutcome[] = [];
  private flushing = false;

  constructor(
    private readonly db: SqlClient,
    private readonly instance: string,
    /** True while a pass runs: it will take the waiting outcomes. */
    private readonly held: () => boolean = () => false,
  ) {}

  get waiting(): number {
    return this.pending.length;
  }

  /** Resolves with whether this process still owned the run (see RunTransitions.finish). */
  write(run: RunKey, status: Status, now: number, error?: string, output?: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pending.push({ run, status, now, ...(error !== undefined ? { error } : {}), ...(output !== undefined ? { output } : {}), resolve, reject });
      this.kick();
    });
  }

  /** Writes what waits, unless a pass is about to take it. */
  kick(): void {
    if (!this.flushing && !this.held() && this.pending.length > 0) void this.flush();
  }

  /**
   * Writes the waiting outcomes with `tx`, the transaction of a pass; call `settle` with whether it
   * committed. Until then nothing is reported to the runs, and a rollback puts them back in line.
   */
  async writeWith(tx: SqlClient): Promise<(committed: boolean) => void> {
    const batch = this.pending;
    this.pending = [];
    const owned = await this.all(new RunTransitions(tx, this.instance), batch);
    return (committed) => {
      if (committed) batch.forEach((outcome, i) => outcome.resolve(owned[i]!));
      else this.pending.unshift(...batch);
    };
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0 && !this.held()) {
        const batch = this.pending;
        this.pending = [];
        try {
          const owned = batch.length === 1 ? [await this.one(new RunTransitions(this.db, this.instance), batch[0]!)] : await this.db.transaction((tx) => this.all(new RunTransitions(tx, this.instance), batch));
          batch.forEach((outcome, i) => outcome.resolve(owned[i]!));
        } catch {
          // The batch failed as a whole (a busy database, say): each outcome then stands alone.
          for (const outcome of batch) await this.one(new RunTransitions(this.db, this.instance), outcome).then(outcome.resolve, outcome.reject);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private async all(transitions: RunTransitions, batch: readonly PendingOutcome[]): Promise<boolean[]> {
    const owned: boolean[] = [];
    for (const outcome of batch) owned.push(await this.one(transitions, outcome));
    return owned;
  }

  private one(transitions: RunTransitions, outcome: PendingOutcome): Promise<boolean> {
    return transitions.finish(outcome.run, outcome.status, outcome.now, outcome.error, outcome.output);
  }
}
