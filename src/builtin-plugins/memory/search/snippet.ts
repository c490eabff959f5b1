/**
 * At most `maxChars` of a chunk: all of it when it fits, else a window starting a little before
 * the first query word it holds (or at the start), cut at spaces, with `…` where text was left out.
 */
export function snippetOf(text: string, terms: readonly string[], maxChars: number): string {
  const clean = text.trim();
  if (clean.length <= maxChars) return clean;
  const lower = clean.toLowerCase();
  const hits = terms.map((t) => lower.indexOf(t)).filter((i) => i >= 0);
  const first = hits.length > 0 ? Math.min(...hits) : 0;
  let start = Math.max(0, first - Math.floor(maxChars / 4));
  if (start > 0) {
    const space = clean.indexOf(' ', start);
    start = space >= 0 && space < first ? space + 1 : start;
  }
  let end = Math.min(clean.length, start + maxChars - (start > 0 ? 1 : 0) - 1);
  if (end < clean.length) {
    const space = clean.lastIndexOf(' ', end);
    if (space > start + maxChars / 2) end = space;
  }
  return `${start > 0 ? '…' : ''}${clean.slice(start, end).trim()}${end < clean.length ? '…' : ''}`;
}
