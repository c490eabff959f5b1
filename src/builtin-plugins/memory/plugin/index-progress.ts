import type { IndexProgress } from '../indexer/index.js';

/** Below this many files or chunks an index run is quick, and draws no bar. */
const LONG_RUN = 200;
const WIDTH = 24;

/**
 * A progress bar on stderr for `nexus memory index`: redrawn in place on a terminal, else one
 * line per tenth, so a log stays readable. Short runs print nothing.
 */
export class IndexProgressBar {
  private lastStep = new Map<string, number>();
  private drawn = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly terminal: boolean,
  ) {}

  update(progress: IndexProgress): void {
    if (progress.total < LONG_RUN) return;
    const fraction = progress.total === 0 ? 1 : progress.done / progress.total;
    const step = Math.floor(fraction * 10);
    const label = progress.phase === 'files' ? 'files' : 'embeddings';
    const filled = Math.round(fraction * WIDTH);
    const line = `indexing ${label} [${'#'.repeat(filled)}${' '.repeat(WIDTH - filled)}] ${progress.done}/${progress.total}`;
    if (this.terminal) {
      this.write(`\r${line}`);
      this.drawn = true;
      return;
    }
    if (this.lastStep.get(label) === step) return;
    this.lastStep.set(label, step);
    this.write(`${line}\n`);
  }

  /** Ends the redrawn line, so what follows starts on its own. */
  finish(): void {
    if (this.drawn) this.write('\n');
    this.drawn = false;
  }
}
