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
 * Records run outcomes with group commit: while one transaction is being written, the outcomes
 * that arrive wait and go together in the next. A lone outcome is written at once; a thousand
 * runs ending within a second cost a few commits (each one an fsync on SQLite) instead of a
 * thousand, which keeps the database free for the claims of runs that are due.
 */
export class OutcomeWriter {
  private pending: PendingOutcome[] = [];
  private flushing = false;

  constructor(
    private readonly db: SqlClient,
    private readonly instance: string,
  ) {}

  /** Resolves with whether this process still owned the run (see RunTransitions.finish). */
  write(run: RunKey, status: Status, now: number, error?: string, output?: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pending.push({ run, status, now, ...(error !== undefined ? { error } : {}), ...(output !== undefined ? { output } : {}), resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
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
