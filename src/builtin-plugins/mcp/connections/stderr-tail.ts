const MAX_LINES = 20;
const MAX_LINE = 500;

/**
 * The last lines a server wrote to stderr: why it crashed is usually there. Each complete line
 * also goes to a callback (the debug log).
 */
export class StderrTail {
  private readonly lines: string[] = [];
  private partial = '';

  append(chunk: Buffer, onLine: (line: string) => void): void {
    const text = this.partial + chunk.toString('utf8');
    const parts = text.split(/\r?\n/);
    this.partial = (parts.pop() ?? '').slice(-MAX_LINE);
    for (const part of parts) {
      if (part.trim() === '') continue;
      const line = part.length > MAX_LINE ? `${part.slice(0, MAX_LINE)}…` : part;
      this.lines.push(line);
      if (this.lines.length > MAX_LINES) this.lines.shift();
      onLine(line);
    }
  }

  text(): string {
    return [...this.lines, ...(this.partial.trim() ? [this.partial] : [])].join('\n');
  }
}
