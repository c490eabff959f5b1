/** A line of the file, or a slice of a line too long for one chunk. */
export interface Piece {
  /** 1-based line number. */
  readonly line: number;
  readonly text: string;
  /** A heading line. */
  readonly heading?: boolean;
}

/** A unit the chunker cuts inside only when it is too big for a chunk: a heading, a paragraph, a fenced code block. */
export interface Block {
  readonly pieces: readonly Piece[];
  readonly heading: boolean;
}

const HEADING = /^ {0,3}#{1,6}(\s|$)/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Cuts Markdown into blocks: each heading line; runs of non-blank lines (paragraphs, lists); fenced
 * code blocks whole, blank lines included. Blank lines only separate blocks.
 */
export function markdownBlocks(text: string): Block[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const blocks: Block[] = [];
  let paragraph: Piece[] = [];
  const endParagraph = () => {
    if (paragraph.length > 0) blocks.push({ pieces: paragraph, heading: false });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence) {
      endParagraph();
      const marker = fence[1]!;
      const code: Piece[] = [{ line: i + 1, text: line }];
      // The block runs to a closing fence of the same character, at least as long; or to the end.
      while (++i < lines.length) {
        code.push({ line: i + 1, text: lines[i]! });
        const close = FENCE.exec(lines[i]!);
        if (close && close[1]![0] === marker[0] && close[1]!.length >= marker.length && lines[i]!.trim() === close[1]) break;
      }
      blocks.push({ pieces: code, heading: false });
    } else if (HEADING.test(line)) {
      endParagraph();
      blocks.push({ pieces: [{ line: i + 1, text: line, heading: true }], heading: true });
    } else if (line.trim() === '') {
      endParagraph();
    } else {
      paragraph.push({ line: i + 1, text: line });
    }
  }
  endParagraph();
  return blocks;
}
