import type { DoctorProgress } from '../../../kernel/doctor/index.js';

/**
 * One status line rewritten in place (`\r` + clear-line) while checks run. Only for a terminal:
 * piped output must stay plain text.
 */
export class ProgressLine {
  private shown = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly columns = 80,
  ) {}

  update(progress: DoctorProgress): void {
    const text = `checking ${progress.group}: ${progress.id}… (${progress.index}/${progress.total})`;
    const width = Math.max(20, this.columns - 1);
    this.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    this.shown = true;
  }

  clear(): void {
    if (!this.shown) return;
    this.write('\r\x1b[2K');
    this.shown = false;
  }
}
