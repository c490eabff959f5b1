/** OpenAI refuses a longer tool description ("string_above_max_length"); Anthropic has no such limit. */
export const MAX_DESCRIPTION = 1024;
const MARK = ' … (shortened)';

/**
 * A tool description within `MAX_DESCRIPTION` characters: the server's text, shortened at a word
 * boundary when needed, with the bridge's own note (input alternatives) kept whole at the end.
 */
export function toolDescription(text: string, note?: string): string {
  const tail = note ? `\n\n${note}` : '';
  const room = MAX_DESCRIPTION - tail.length;
  if (text.length <= room) return text + tail;
  const cut = text.slice(0, Math.max(0, room - MARK.length));
  const atWord = cut.replace(/\s+\S*$/, '');
  return `${atWord.length > cut.length / 2 ? atWord : cut}${MARK}${tail}`.slice(0, MAX_DESCRIPTION);
}

/**
 * Joins `head` and as many `items` (lines) as fit in `MAX_DESCRIPTION`, saying how many were left
 * out, for the generic tools' lists of resources and prompts.
 */
export function listWithin(head: string, items: readonly string[]): string {
  let text = head;
  for (let i = 0; i < items.length; i++) {
    const line = `\n${items[i]}`;
    const more = i + 1 < items.length ? `\n(and ${items.length - i - 1} more)` : '';
    if (text.length + line.length + more.length > MAX_DESCRIPTION) {
      return (text + `\n(and ${items.length - i} more)`).slice(0, MAX_DESCRIPTION);
    }
    text += line;
  }
  return text;
}
