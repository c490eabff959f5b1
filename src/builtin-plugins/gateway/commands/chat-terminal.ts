import { clearLine, cursorTo, type Interface } from 'node:readline';
import { EventEmitter } from 'node:events';

/** The terminal `nexus chat` draws its prompt and the user's typing on. */
export type TerminalOutput = NodeJS.WritableStream & { readonly columns?: number };

/**
 * What readline draws (the prompt, the echo of each key typed, its cursor moves) goes through
 * here to the terminal, except while a reply streams: the reply is written to the same terminal,
 * and keys typed meanwhile would land in the middle of it. They are still read (Ctrl-C still
 * cancels the reply, Enter still queues a message), only not drawn; `resume` then draws a fresh
 * prompt below the reply with whatever was typed, where the user can go on editing it.
 */
export class HeldTerminal extends EventEmitter {
  private held = false;
  /** Messages the user finished (Enter) while held: each is shown when its turn starts. */
  private unseenLines = 0;

  constructor(private readonly terminal: TerminalOutput) {
    super();
    terminal.on('resize', () => this.emit('resize'));
  }

  /** readline wraps long lines at the terminal's width. */
  get columns(): number | undefined {
    return this.terminal.columns;
  }

  /**
   * What readline writes (it needs nothing else of an output but `columns` and `resize`).
   * Decided when written, not later: a stream that buffered the echo of a key typed just before
   * a reply began would drop it.
   */
  write(chunk: string | Uint8Array, encodingOrDone?: BufferEncoding | (() => void), done?: () => void): boolean {
    const callback = typeof encodingOrDone === 'function' ? encodingOrDone : done;
    if (!this.held) return this.terminal.write(chunk, callback);
    callback?.();
    return true;
  }

  /** readline's view of this terminal as a stream. */
  asOutput(): NodeJS.WritableStream {
    return this as unknown as NodeJS.WritableStream;
  }

  /** Hides the typing from now on, while a reply streams. */
  hold(lines: Interface): void {
    this.held = true;
    lines.on('line', this.countUnseen);
  }

  /**
   * Shows the typing again: a fresh prompt, and on it what was typed while held. readline's own
   * idea of what is on screen is reset first (the line cleared while still hidden), so that its
   * redraw does not move up into the reply.
   */
  resume(lines: Interface): void {
    lines.off('line', this.countUnseen);
    lines.write(null, { ctrl: true, name: 'e' });
    const typed = lines.line;
    lines.write(null, { ctrl: true, name: 'u' });
    this.held = false;
    lines.prompt();
    if (typed !== '') lines.write(typed);
  }

  /** A message taken from the queue: if it was typed while held, it was never shown, so show it now. */
  showIfUnseen(prompt: string, line: string): void {
    if (this.unseenLines === 0) return;
    this.unseenLines -= 1;
    // In place of the empty prompt `resume` drew.
    cursorTo(this.terminal, 0);
    clearLine(this.terminal, 0);
    this.terminal.write(`${prompt}${line}\n`);
  }

  private readonly countUnseen = (): void => {
    this.unseenLines += 1;
  };
}
