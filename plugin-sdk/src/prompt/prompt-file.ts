import { readFile, stat } from 'node:fs/promises';

interface Cached {
  /** When the file was last looked at (performance.now()). */
  checkedAt: number;
  readonly missing: boolean;
  readonly mtimeMs: number;
  readonly size: number;
  /** Trimmed content. */
  readonly text: string;
  /** The last cut, so a file longer than the limit is not cut again on every turn. */
  cut?: { readonly maxChars: number; readonly text: string };
}

/**
 * Reads files for the system prompt: trimmed, and cut to `maxChars` characters (code points, so
 * an emoji is never split) with a marker the model and the operator can both see. A missing file
 * reads as empty, so an optional file costs nothing; any other failure (a folder, no permission)
 * is an error naming the file and its setting, which fails only the section that read it.
 *
 * Every turn needs these files, and reading them is most of what a turn costs besides the model,
 * so each is kept in memory and looked at again (a stat, then a read only if it changed) at most
 * once per `revalidateAfterMs`: an edit reaches the prompt within that time.
 *
 * It lives here because every file it reads is a workspace file (resolved against
 * `workspace.path`, cut at `workspace.max_chars`); the agent plugin's heartbeat and tool-notes
 * sections import it from this folder's index so both plugins read files by one set of rules.
 * Each plugin makes its own instance, so no cache is shared between them.
 */
export class PromptFiles {
  private readonly cache = new Map<string, Cached>();
  private readonly loading = new Map<string, Promise<Cached>>();

  constructor(private readonly revalidateAfterMs = 1_000) {}

  async read(path: string, maxChars: number, setting: string): Promise<string> {
    const fresh = this.cached(path, maxChars);
    if (fresh !== undefined) return fresh;
    // Concurrent turns that find the entry stale share one look at the file instead of each
    // stat-ing (and maybe reading) it on their own. Keyed with the setting too, so a failure
    // always names the setting of the section that asked.
    const key = `${setting}\0${path}`;
    let loading = this.loading.get(key);
    if (loading === undefined) {
      loading = this.load(path, setting, performance.now(), this.cache.get(path)).then(
        (entry) => {
          this.cache.set(path, entry);
          this.loading.delete(key);
          return entry;
        },
        (error: unknown) => {
          this.loading.delete(key);
          throw error;
        },
      );
      this.loading.set(key, loading);
    }
    return cut(await loading, maxChars);
  }

  /**
   * The file's text if it was looked at within the revalidation window, else undefined (then
   * `read` it). Lets a section that renders on every turn answer without a promise.
   */
  cached(path: string, maxChars: number): string | undefined {
    const entry = this.cache.get(path);
    return entry && performance.now() - entry.checkedAt < this.revalidateAfterMs ? cut(entry, maxChars) : undefined;
  }

  private async load(path: string, setting: string, now: number, cached: Cached | undefined): Promise<Cached> {
    const fail = (why: string) => new Error(`cannot read ${path} (${setting}): ${why}; make it a readable file or point ${setting} elsewhere`);
    const missing: Cached = { checkedAt: now, missing: true, mtimeMs: 0, size: 0, text: '' };
    try {
      const stats = await stat(path);
      if (!stats.isFile()) throw fail(stats.isDirectory() ? 'it is a folder, not a file' : 'it is not a regular file');
      if (cached && !cached.missing && cached.mtimeMs === stats.mtimeMs && cached.size === stats.size) {
        cached.checkedAt = now;
        return cached;
      }
      const raw = await readFile(path, 'utf8');
      return { checkedAt: now, missing: false, mtimeMs: stats.mtimeMs, size: stats.size, text: raw.trim() };
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      if (code === 'ENOENT' || code === 'ENOTDIR') return missing;
      throw code === undefined ? error : fail(message);
    }
  }
}

function cut(entry: Cached, maxChars: number): string {
  if (entry.cut?.maxChars !== maxChars) entry.cut = { maxChars, text: truncateForPrompt(entry.text, maxChars) };
  return entry.cut.text;
}

export function truncateForPrompt(text: string, maxChars: number): string {
  // Cheap exit: a string no longer than the limit in UTF-16 units has no more code points either.
  if (text.length <= maxChars) return text;
  const chars = Array.from(text);
  if (chars.length <= maxChars) return text;
  return `${chars.slice(0, maxChars).join('').trimEnd()}\n[… truncated: ${maxChars} of ${chars.length} characters shown]`;
}
