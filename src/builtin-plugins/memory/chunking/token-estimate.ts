/**
 * Tokens in `text`, estimated at four characters each: what the chunk size and compaction
 * budgets count in. Close for English prose and code; it undercounts for scripts with more
 * tokens per character, which only makes chunks a little larger than asked.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export const CHARS_PER_TOKEN = 4;
