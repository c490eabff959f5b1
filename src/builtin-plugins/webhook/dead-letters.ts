import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** A reply that could not be delivered, with everything needed to send it again by hand. */
export interface DeadLetter {
  readonly recorded_at: string;
  readonly account: string;
  readonly callback_url?: string;
  readonly delivery_id: string;
  readonly attempts: number;
  readonly error: string;
  /** The exact JSON body that was (or would have been) POSTed. */
  readonly payload: unknown;
}

/**
 * Undeliverable replies, appended one JSON object per line to a file only the owner can read
 * (replies may be private). If the file cannot be written, records wait in memory and go out
 * with the next successful write, so a full disk delays the record instead of losing it.
 */
export class DeadLetterFile {
  private readonly waiting: DeadLetter[] = [];
  private recordedSinceStart = 0;

  constructor(readonly path: string) {}

  /** Rejects when the file cannot be written; the record then waits in memory for the next append. */
  async append(letter: DeadLetter): Promise<void> {
    this.waiting.push(letter);
    const batch = this.waiting.splice(0);
    try {
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      await appendFile(this.path, batch.map((l) => `${JSON.stringify(l)}\n`).join(''), { mode: 0o600 });
      this.recordedSinceStart += batch.length;
    } catch (error) {
      this.waiting.unshift(...batch);
      throw error;
    }
  }

  /** Recorded by this process, plus those waiting to be written. */
  counts(): { readonly recorded: number; readonly waiting: number } {
    return { recorded: this.recordedSinceStart, waiting: this.waiting.length };
  }

  /** Records in the file, from every run; 0 when there is no file. */
  async countInFile(): Promise<number> {
    const text = await readFile(this.path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    return text.split('\n').filter((line) => line.trim() !== '').length;
  }
}
