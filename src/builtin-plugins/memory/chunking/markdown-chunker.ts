import { createHash } from 'node:crypto';
import { markdownBlocks, type Block, type Piece } from './markdown-blocks.js';
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
 * Cuts Markdown into chunks of about `tokens` tokens. Cuts fall between blocks (headings,
 * paragraphs, code fences), never inside one unless a block alone is too big, which is then cut
 * between lines (and an over-long line between words). A chunk at least half full ends before a
 * heading, so sections start chunks where they can; no overlap is carried across such a cut. A
 * chunk that ends because the next block does not fit hands its last lines (up to `overlap`
 * tokens) to the next, so a passage split in two can still be found whole.
 */
export function chunkMarkdown(text: string, options: ChunkingOptions): Chunk[] {
  const maxChars = options.tokens * CHARS_PER_TOKEN;
  const overlapChars = options.overlap * CHARS_PER_TOKEN;
  const chunks: Chunk[] = [];
  let current: Piece[] = [];
  // How many pieces at the start of `current` were carried over from the previous chunk.
  let carried = 0;

  const emit = (withOverlap: boolean) => {
    if (current.length === carried) return;
    chunks.push(makeChunk(chunks.length, current));
    const tail = withOverlap ? overlapTail(current, overlapChars) : [];
    current = tail;
    carried = tail.length;
  };

  for (const block of markdownBlocks(text).flatMap((b) => fitBlock(b, maxChars))) {
    if (current.length > carried) {
      if (block.heading && sizeOf(current) * 2 >= maxChars) emit(false);
      else if (sizeOf([...current, ...block.pieces]) > maxChars) emit(true);
    }
    if (current.length > 0 && current.length === carried && block.heading) {
      current = [];
      carried = 0;
    }
    // Carried lines give way to a block they would push over the limit.
    while (carried > 0 && sizeOf([...current, ...block.pieces]) > maxChars) {
      current.shift();
      carried--;
    }
    current.push(...block.pieces);
  }
  emit(false);
  return chunks;
}

function makeChunk(seq: number, pieces: readonly Piece[]): Chunk {
  const text = joinPieces(pieces);
  return { seq, startLine: pieces[0]!.line, endLine: pieces.at(-1)!.line, text, tokens: estimateTokens(text), hash: createHash('sha256').update(text, 'utf8').digest('hex') };
}

/** Pieces joined as in the file, except that a run of blank lines becomes one and slices of a line join with nothing. */
function joinPieces(pieces: readonly Piece[]): string {
  let text = '';
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    if (i > 0) {
      const gap = piece.line - pieces[i - 1]!.line;
      text += gap === 0 ? '' : gap === 1 ? '\n' : '\n\n';
    }
    text += piece.text;
  }
  return text;
}

function sizeOf(pieces: readonly Piece[]): number {
  return joinPieces(pieces).length;
}

/**
 * The end of a chunk, up to `overlapChars`: whole pieces from the end, then as much of the piece
 * before them as fits, starting at a word (notes often hold a paragraph per line, and whole lines
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
    const room = overlapChars - (tail.length > 0 ? sizeOf(tail) + 1 : 0);
    if (room > 0 && piece.text.length > room) {
      const start = piece.text.indexOf(' ', piece.text.length - room);
      const suffix = start < 0 ? '' : piece.text.slice(start + 1);
      if (suffix.trim() !== '') tail.unshift({ line: piece.line, text: suffix });
    }
    break;
  }
  return tail;
}

/** A block that fits, or its lines grouped into blocks that do (over-long lines cut between words). */
function fitBlock(block: Block, maxChars: number): Block[] {
  if (sizeOf(block.pieces) <= maxChars) return [block];
  const groups: Block[] = [];
  let group: Piece[] = [];
  for (const piece of block.pieces.flatMap((p) => splitLine(p, maxChars))) {
    if (group.length > 0 && sizeOf([...group, piece]) > maxChars) {
      groups.push({ pieces: group, heading: false });
      group = [];
    }
    group.push(piece);
  }
  if (group.length > 0) groups.push({ pieces: group, heading: false });
  return groups;
}

function splitLine(piece: Piece, maxChars: number): Piece[] {
  if (piece.text.length <= maxChars) return [piece];
  const slices: Piece[] = [];
  let rest = piece.text;
  while (rest.length > maxChars) {
    let cut = rest.lastIndexOf(' ', maxChars);
    if (cut < maxChars / 2) cut = maxChars;
    // Never split a surrogate pair.
    if (/[\uD800-\uDBFF]/.test(rest[cut - 1] ?? '')) cut--;
    slices.push({ line: piece.line, text: rest.slice(0, cut) });
    rest = rest.slice(cut);
  }
  if (rest.length > 0) slices.push({ line: piece.line, text: rest });
  return slices;
}
