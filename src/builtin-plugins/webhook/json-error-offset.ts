const WS = new Set([' ', '\t', '\n', '\r']);
const MAX_DEPTH = 512;

/**
 * The offset of the first JSON syntax error in `text`, for error messages: V8's own message
 * gives a position for some mistakes and not for others (`Unexpected token`), and never a line.
 * Returns `text.length` for truncated input, `undefined` if it finds no error.
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const skip = () => {
    while (i < text.length && WS.has(text[i]!)) i++;
  };
  const literal = (word: string): boolean => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return true;
    }
    return false;
  };
  const string = (): boolean => {
    i++; // opening quote
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return true;
      }
      if (c < ' ') return false;
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return false;
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return false;
      } else i++;
    }
    return false;
  };
  const number = (): boolean => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match) return false;
    i += match[0].length;
    return true;
  };
  const value = (depth: number): boolean => {
    if (depth > MAX_DEPTH) return false;
    skip();
    const c = text[i];
    if (c === '{') return container('}', depth, true);
    if (c === '[') return container(']', depth, false);
    if (c === '"') return string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    return literal('true') || literal('false') || literal('null');
  };
  const container = (close: string, depth: number, keyed: boolean): boolean => {
    i++;
    skip();
    if (text[i] === close) {
      i++;
      return true;
    }
    for (;;) {
      if (keyed) {
        skip();
        if (text[i] !== '"' || !string()) return false;
        skip();
        if (text[i] !== ':') return false;
        i++;
      }
      if (!value(depth + 1)) return false;
      skip();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === close) {
        i++;
        return true;
      }
      return false;
    }
  };
  if (!value(0)) return Math.min(i, text.length);
  skip();
  return i < text.length ? i : undefined;
}
