import { splitFirst } from './chunk-text.js';
import { sleep, type ChannelTimers } from './timers.js';

/** How a draft reaches the platform: post a message, and change one posted earlier. */
export interface DraftTransport<M> {
  /** Posts a new message with `text` (already rendered); resolves with the platform's handle for it. */
  send(text: string): Promise<M>;
  /** Replaces the text of a message the draft posted. */
  edit(message: M, text: string): Promise<void>;
}

export interface EditingReplyDraftOptions<M> {
  readonly transport: DraftTransport<M>;
  /** The longest message, measured on the source text as `chunkText` measures it. */
  readonly limit: number;
  /** The least time between two writes (send or edit) of this draft: the platform's edit rate. */
  readonly minIntervalMs: number;
  readonly timers: ChannelTimers;
  /** Source text to what the platform shows, such as `markdownToTelegramHtml`; identity by default. */
  readonly render?: (text: string) => string;
  /** Failed edits in a row tolerated (each retried at the next write) before the draft gives up. Default 3. */
  readonly maxEditFailures?: number;
  /** Hears every failure, including the edits the draft retries. */
  readonly onError?: (error: unknown, during: 'send' | 'edit') => void;
}

/** The draft gave up: `delivered` holds the messages that did reach the platform. */
export class DraftFailedError<M = unknown> extends Error {
  constructor(
    cause: unknown,
    readonly delivered: readonly M[],
  ) {
    super(`the streamed reply could not be written: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'DraftFailedError';
  }
}

interface Segment<M> {
  text: string;
  message?: M;
  /** The rendered text the platform shows now. */
  shown?: string;
}

/**
 * Turns a stream of text deltas into one message edited in place as the text grows, throttled
 * to `minIntervalMs` between writes so bursts of deltas coalesce into one edit. When the text
 * passes `limit`, the message is finished at a good boundary (see `splitFirst`) and the rest
 * continues in a new message. `finish` writes the final text and resolves with every message.
 *
 * Writes never overlap and always go out in order; the text written is the latest at the
 * moment of writing, so a slow platform sees fewer, larger edits rather than a backlog.
 */
export class EditingReplyDraft<M> {
  private readonly segments: Segment<M>[] = [{ text: '' }];
  private readonly render: (text: string) => string;
  private readonly stopping = new AbortController();
  private pumping: Promise<void> | undefined;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private editFailures = 0;
  private failure: DraftFailedError<M> | undefined;
  private finished = false;

  constructor(private readonly options: EditingReplyDraftOptions<M>) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError(`limit must be a positive integer, got ${options.limit}`);
    this.render = options.render ?? ((text) => text);
  }

  /** The messages posted so far, in order. */
  get messages(): readonly M[] {
    return this.segments.flatMap((s) => (s.message === undefined ? [] : [s.message]));
  }

  /** The whole text received so far, as the source (before rendering). */
  get text(): string {
    return this.segments.map((s) => s.text).join('');
  }

  push(delta: string): void {
    if (this.finished) throw new Error('the draft is finished; start a new one for another reply');
    if (delta === '' || this.failure || this.stopping.signal.aborted) return;
    const open = this.segments.at(-1)!;
    open.text += delta;
    while (this.segments.at(-1)!.text.length > this.options.limit) {
      const last = this.segments.at(-1)!;
      const { head, tail } = splitFirst(last.text, { limit: this.options.limit });
      last.text = head;
      this.segments.push({ text: tail });
    }
    this.kick();
  }

  /** Writes what is left; resolves with every message of the reply, or rejects with `DraftFailedError`. */
  async finish(): Promise<readonly M[]> {
    this.finished = true;
    this.kick();
    while (this.pumping) await this.pumping;
    if (this.failure) throw this.failure;
    return this.messages;
  }

  /** Stops writing (the turn was cancelled); what is shown stays as it is. */
  cancel(): void {
    this.finished = true;
    this.stopping.abort(new Error('the draft was cancelled'));
  }

  private kick(): void {
    if (this.pumping || this.failure || this.stopping.signal.aborted) return;
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
      if (this.nextWrite()) this.kick();
    });
  }

  /** The first segment whose platform text is behind its source, with what to write. */
  private nextWrite(): { segment: Segment<M>; text: string } | undefined {
    if (this.failure || this.stopping.signal.aborted) return undefined;
    for (const segment of this.segments) {
      const text = this.render(segment.text).trim();
      if (segment.message === undefined) return text === '' ? undefined : { segment, text };
      if (text !== '' && text !== segment.shown) return { segment, text };
    }
    return undefined;
  }

  private async pump(): Promise<void> {
    for (;;) {
      if (!this.nextWrite()) return;
      const wait = this.lastWriteAt + this.options.minIntervalMs - this.options.timers.now();
      if (wait > 0) {
        try {
          await sleep(this.options.timers, wait, this.stopping.signal);
        } catch {
          return;
        }
      }
      // Read again after waiting: deltas that arrived meanwhile go out in this one write.
      const write = this.nextWrite();
      if (!write) return;
      this.lastWriteAt = this.options.timers.now();
      await this.write(write.segment, write.text);
    }
  }

  private async write(segment: Segment<M>, text: string): Promise<void> {
    const { transport, onError } = this.options;
    if (segment.message === undefined) {
      try {
        segment.message = await transport.send(text);
        segment.shown = text;
      } catch (error) {
        // A failed post may still have reached the platform; posting again could duplicate it.
        onError?.(error, 'send');
        this.failure = new DraftFailedError(error, this.messages);
      }
      return;
    }
    try {
      await transport.edit(segment.message, text);
      segment.shown = text;
      this.editFailures = 0;
    } catch (error) {
      onError?.(error, 'edit');
      if (++this.editFailures >= (this.options.maxEditFailures ?? 3)) this.failure = new DraftFailedError(error, this.messages);
    }
  }
}
