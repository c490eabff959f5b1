import { readFile } from 'node:fs/promises';

/**
 * (The agent plugin reads its own prompt files by the same rules; plugins share contracts, not
 * code, so each keeps its copy of these few lines.)
 *
 * Reads a file for the system prompt: trimmed, and cut to `maxChars` characters (code points,
 * so an emoji is never split) with a marker the model and the operator can both see. A missing
 * file reads as empty, so an optional file costs nothing; any other failure (a folder, no
 * permission) is an error naming the file, which fails only the section that read it.
 */
export async function readPromptFile(path: string, maxChars: number, setting: string): Promise<string> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'ENOENT' || code === 'ENOTDIR') return '';
    throw new Error(`cannot read ${path} (${setting}): ${message}; make it a readable file or point ${setting} elsewhere`);
  }
  return truncateForPrompt(raw.trim(), maxChars);
}

export function truncateForPrompt(text: string, maxChars: number): string {
  // Cheap exit: a string no longer than the limit in UTF-16 units has no more code points either.
  if (text.length <= maxChars) return text;
  const chars = Array.from(text);
  if (chars.length <= maxChars) return text;
  return `${chars.slice(0, maxChars).join('').trimEnd()}\n[… truncated: ${maxChars} of ${chars.length} characters shown]`;
}
