import type { Node } from 'yaml';
import { yamlModule } from '../lazy/index.js';
import { splitPointer } from './json-pointer.js';

export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * Maps JSON pointers to line:column in a YAML or JSON text. JSON is valid YAML, so one parser
 * serves manifests and config files alike. Built only when a problem needs locating.
 */
export class SourcePositions {
  private readonly yaml = yamlModule();
  private readonly lines = new this.yaml.LineCounter();
  private readonly root: Node | null;

  constructor(text: string) {
    const doc = this.yaml.parseDocument(text, { lineCounter: this.lines, keepSourceTokens: false, uniqueKeys: false });
    this.root = doc.contents as Node | null;
  }

  /** The position of the value at `pointer`, or of its nearest existing ancestor. */
  locate(pointer: string): Position | undefined {
    const { node, key } = this.walk(splitPointer(pointer));
    return this.positionOf(node ?? key);
  }

  /** The position of the key that names the value at `pointer` (for "unknown key" errors). */
  locateKey(pointer: string): Position | undefined {
    const { node, key } = this.walk(splitPointer(pointer));
    return this.positionOf(key ?? node);
  }

  private walk(segments: readonly string[]): { node: Node | null | undefined; key: Node | undefined } {
    let node: Node | null | undefined = this.root;
    let key: Node | undefined;
    for (const segment of segments) {
      if (this.yaml.isMap(node)) {
        const pair = node.items.find((item) => this.yaml.isScalar(item.key) && String(item.key.value) === segment);
        if (!pair) break;
        key = pair.key as Node;
        node = pair.value as Node | null;
      } else if (this.yaml.isSeq(node)) {
        const child = node.items[Number(segment)] as Node | undefined;
        if (!child) break;
        key = undefined;
        node = child;
      } else {
        break;
      }
    }
    return { node, key };
  }

  private positionOf(node: Node | null | undefined): Position | undefined {
    const offset = node?.range?.[0];
    if (offset === undefined) return undefined;
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }
}

/** Line and column (1-based) of a character offset in `text`. */
export function positionOfOffset(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
