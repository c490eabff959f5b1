import { createHash } from 'node:crypto';
import { markdownBlocks, type Piece } from './markdown-blocks.js';
import { CHARS_PER_TOKEN, estimateTokens } from './token-estimate.js';

export interface ChunkingOptions {
  /** Target size in tokens (400). */
  readonly tokens: number;
  /** Tokens repeated from the end of a chunk at the start of the next when a section is cut (80). */
  readonly overlap: number;
}

export interface Chunk {
  /** 0-based position in the file. */
  readonly seq: number;
  /** 1-based, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
  readonly text: string;
  readonly tokens: number;
  /** SHA-256 (hex) of `text`. */
  readonly hash: string;
}

/** Bump when the algorithm changes, so every file is chunked again on the next index run. */
export const CHUNKER_VERSION = 1;

/** Identifies how chunks were cut: stored per file, a different value means re-chunking. */
export function chunkingKey(options: ChunkingOptions): string {
  return `md-v${CHUNKER_VERSION}:${options.tokens}:${options.overlap}`;
}

/**
 * Cuts Markdown into chunks of at most `tokens` tokens (4 characters each).
 *
 * - Cuts fall between blocks (headings, paragraphs, fenced code) when they can; a block too big
 *   for the room left is cut between lines, and a line too long between words.
 * - A chunk at least half full ends before a heading, so sections start chunks where they can,
 *   and nothing is carried across that cut. A heading never ends a chunk on its own.
 * - Any other cut hands the chunk's last `overlap` tokens (whole lines, then the end of the line
 *   before them from a word on) to the next chunk, so a passage split in two is still found whole.
 */
export function chunkMarkdown(text: string, options: ChunkingOptions): Chunk[] {
  return new Chunker(options.tokens * CHARS_PER_TOKEN, options.overlap * CHARS_PER_TOKEN).run(text);
}

class Chunker {
  private readonly chunks: Chunk[] = [];
  private current: Piece[] = [];
  /** How many pieces at the start of `current` were carried over from the previous chunk. */
  private carried = 0;

  constructor(
    private readonly maxChars: number,
    private readonly overlapChars: number,
  ) {}

  run(text: string): Chunk[] {
    for (const block of markdownBlocks(text)) {
      if (block.heading) this.heading(block.pieces);
      else if (sizeOf([...this.current, ...block.pieces]) <= this.maxChars) this.current.push(...block.pieces);
      else if (sizeOf(block.pieces) <= this.maxChars && this.emit(true)) this.addWhole(block.pieces);
      else for (const piece of block.pieces) this.addPiece(piece);
    }
    this.emit(false);
    return this.chunks;
  }

  private heading(pieces: readonly Piece[]): void {
    if (this.hasContent() && sizeOf(this.current) * 2 >= this.maxChars) this.emit(false);
    else if (sizeOf([...this.current, ...pieces]) > this.maxChars) this.emit(true);
    // Overlap is for passages cut in two, not for the start of a new section.
    if (!this.hasContent() && this.carried > 0) {
      this.current.splice(0, this.carried);
      this.carried = 0;
    }
    this.addWhole(pieces);
  }

  /** Adds pieces that fit in an empty chunk, letting carried lines go where they would not fit beside them. */
  private addWhole(pieces: readonly Piece[]): void {
    while (this.carried > 0 && sizeOf([...this.current, ...pieces]) > this.maxChars) {
      this.current.shift();
      this.carried--;
    }
    this.current.push(...pieces);
  }

  /** Adds one line, cutting it between words across as many chunks as it takes. */
  private addPiece(piece: Piece): void {
    let rest = piece.text;
    for (;;) {
      const whole = { line: piece.line, text: rest };
      if (sizeOf([...this.current, whole]) <= this.maxChars) {
        this.current.push(whole);
        return;
      }
      // A short remaining room is not worth a sliver of the line: start the next chunk instead.
      if (this.hasContent() && this.room(whole) < this.maxChars / 4 && this.emit(true)) continue;
      if (!this.hasContent() && this.carried > 0 && this.room(whole) < this.maxChars / 4) {
        this.current.splice(0, this.carried);
        this.carried = 0;
        continue;
      }
      const [head, tail] = cutBetweenWords(rest, Math.max(1, this.room(whole)));
      this.current.push({ line: piece.line, text: head });
      rest = tail;
      if (rest === '') return;
      this.emit(true);
    }
  }

  /** Characters left for `next` after the separator it would need. */
  private room(next: Piece): number {
    if (this.current.length === 0) return this.maxChars;
    return this.maxChars - sizeOf(this.current) - separator(this.current.at(-1)!, next).length;
  }

  /** Whether the chunk holds something besides carried lines and headings. */
  private hasContent(): boolean {
    return this.current.slice(this.carried).some((piece) => !piece.heading);
  }

  /** Closes the chunk (if it has content); returns whether it did. */
  private emit(withOverlap: boolean): boolean {
    if (!this.hasContent()) return false;
    this.chunks.push(makeChunk(this.chunks.length, this.current));
    this.current = withOverlap ? overlapTail(this.current, this.overlapChars) : [];
    this.carried = this.current.length;
    return true;
  }
}

function makeChunk(seq: number, pieces: readonly Piece[]): Chunk {
  const text = joinPieces(pieces);
  return { seq, startLine: pieces[0]!.line, endLine: pieces.at(-1)!.line, text, tokens: estimateTokens(text), hash: createHash('sha256').update(text, 'utf8').digest('hex') };
}

/** Two slices of one line join with a space, lines with a newline, and a gap of blank lines becomes one blank line. */
function separator(previous: Piece, next: Piece): string {
  const gap = next.line - previous.line;
  return gap === 0 ? ' ' : gap === 1 ? '\n' : '\n\n';
}

function joinPieces(pieces: readonly Piece[]): string {
  let text = '';
  for (let i = 0; i < pieces.length; i++) text += (i > 0 ? separator(pieces[i - 1]!, pieces[i]!) : '') + pieces[i]!.text;
  return text;
}

function sizeOf(pieces: readonly Piece[]): number {
  let size = 0;
  for (let i = 0; i < pieces.length; i++) size += pieces[i]!.text.length + (i > 0 ? separator(pieces[i - 1]!, pieces[i]!).length : 0);
  return size;
}

/**
 * The end of a chunk, up to `overlapChars`: whole pieces from the end, then as much of the piece
 * before them as fits, from a word on (notes often hold a paragraph per line, and whole lines
 * alone would rarely fit). Never the whole chunk.
 */
function overlapTail(pieces: readonly Piece[], overlapChars: number): Piece[] {
  const tail: Piece[] = [];
  for (let i = pieces.length - 1; i >= 0; i--) {
    const piece = pieces[i]!;
    if (i > 0 && sizeOf([piece, ...tail]) <= overlapChars) {
      tail.unshift(piece);
      continue;
    }
    const room = overlapChars - (tail.length > 0 ? sizeOf(tail) + separator(piece, tail[0]!).length : 0);
    if (room > 0 && piece.text.length > room) {
      const start = piece.text.indexOf(' ', piece.text.length - room);
      const suffix = start < 0 ? '' : piece.text.slice(start + 1).trimStart();
      if (suffix !== '') tail.unshift({ line: piece.line, text: suffix });
    }
    break;
  }
  return tail;
}

/** `text` cut at the last space within `max` characters (or at `max` when there is none in its second half), both parts trimmed at the cut. */
function cutBetweenWords(text: string, max: number): [string, string] {
  if (text.length <= max) return [text, ''];
  let cut = text.lastIndexOf(' ', max);
  if (cut < max / 2) {
    cut = max;
    // Never split a surrogate pair.
    if (/[\uD800-\uDBFF]/.test(text[cut - 1] ?? '')) cut--;
  }
  return [text.slice(0, cut).trimEnd(), text.slice(cut).trimStart()];
}
