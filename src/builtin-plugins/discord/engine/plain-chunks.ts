/**
 * The local chunker until the kit's replaces it: splits at the last paragraph break, else line
 * break, else space before `limit`, and hard-cuts only a run with no break at all.
 */
export function plainChunks(text: string, limit: number): readonly string[] {
  if (limit < 1) throw new RangeError(`a chunk limit must be at least 1 character, not ${limit}`);
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    const cut = [window.lastIndexOf('\n\n'), window.lastIndexOf('\n'), window.lastIndexOf(' ')].find((i) => i > 0) ?? limit;
    const head = rest.slice(0, cut).trimEnd();
    if (head !== '') chunks.push(head);
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest.trim() !== '') chunks.push(rest);
  return chunks;
}
