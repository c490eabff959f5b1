import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ExtraPath } from '../config/index.js';
import { isCalendarDate } from '../daily-log/index.js';
import { MemoryPathError } from './memory-path-error.js';

export type MemoryFileKind = 'memory' | 'daily' | 'extra';

/** One indexed file. */
export interface MemoryFile {
  /** What search results and memory_get use: workspace-relative with `/`, or absolute for an extra path outside the workspace. */
  readonly path: string;
  readonly absolutePath: string;
  readonly kind: MemoryFileKind;
  /** Never decays: MEMORY.md, undated files in the daily folder, evergreen extra paths. */
  readonly evergreen: boolean;
  /** `YYYY-MM-DD` from the file name, for temporal decay. */
  readonly date?: string;
}

interface Root {
  readonly kind: MemoryFileKind;
  readonly absolutePath: string;
  /** A single file (MEMORY.md, a file under memory.paths) rather than a folder. */
  readonly file: boolean;
  readonly evergreen: boolean;
  /** How the operator named it, for messages. */
  readonly label: string;
}

export interface MemoryPathsOptions {
  readonly workspaceDir: string;
  /** `workspace.memory_file`, relative to the workspace. */
  readonly memoryFile: string;
  /** `memory.daily.directory`. */
  readonly dailyDirectory: string;
  readonly extraPaths: readonly ExtraPath[];
}

const DATE_IN_NAME = /(\d{4}-\d{2}-\d{2})/;

/**
 * Where memory lives: MEMORY.md, every Markdown file under the daily folder, and `memory.paths`.
 * Lists the files to index, and confines memory_get and memory_write to them: no absolute paths
 * (except inside an extra path that is itself outside the workspace), no `..`, no symlink that
 * leads out of its root, Markdown only.
 */
export class MemoryPaths {
  readonly workspaceDir: string;
  private readonly roots: readonly Root[];

  constructor(options: MemoryPathsOptions) {
    this.workspaceDir = resolve(options.workspaceDir);
    const memoryFile = resolve(this.workspaceDir, options.memoryFile);
    this.roots = [
      { kind: 'memory', absolutePath: memoryFile, file: true, evergreen: true, label: options.memoryFile },
      { kind: 'daily', absolutePath: resolve(this.workspaceDir, options.dailyDirectory), file: false, evergreen: false, label: `${options.dailyDirectory}/` },
      ...options.extraPaths.map((extra): Root => {
        const absolutePath = resolve(this.workspaceDir, extra.path);
        return { kind: 'extra', absolutePath, file: absolutePath.toLowerCase().endsWith('.md'), evergreen: extra.evergreen, label: extra.path };
      }),
    ];
  }

  /** The long-term file's absolute path. */
  get memoryFile(): string {
    return this.roots[0]!.absolutePath;
  }

  get dailyDirectory(): string {
    return this.roots[1]!.absolutePath;
  }

  /** Absolute roots to watch: the long-term file, the daily folder, each extra path. */
  watchRoots(): readonly { readonly absolutePath: string; readonly file: boolean }[] {
    return this.roots;
  }

  /** Describes a file by absolute path, if it is a memory file (by location; the file need not exist). */
  classify(absolutePath: string): MemoryFile | undefined {
    const root = this.rootOf(absolutePath);
    if (!root || !absolutePath.toLowerCase().endsWith('.md')) return undefined;
    const path = this.displayPath(absolutePath);
    if (root.kind === 'memory') return { path, absolutePath, kind: 'memory', evergreen: true };
    const date = DATE_IN_NAME.exec(basename(absolutePath))?.[1];
    const dated = date !== undefined && isCalendarDate(date) ? date : undefined;
    // The daily folder's undated files (people keep notes there too) are as lasting as MEMORY.md.
    const evergreen = root.evergreen || (root.kind === 'daily' && dated === undefined);
    return { path, absolutePath, kind: root.kind, evergreen, ...(dated && !evergreen ? { date: dated } : {}) };
  }

  /**
   * Every memory file on disk, sorted by path. Hidden files and folders (lock files among them)
   * are skipped, and so is anything whose real location leaves its root through a symlink;
   * `skipped` says which and why. Only the roots and symlinked entries are resolved: a plain file
   * found by walking a confined folder is confined too, so a thousand files cost a readdir per
   * folder, not several calls per file.
   */
  async list(): Promise<{ files: MemoryFile[]; skipped: { path: string; reason: string }[] }> {
    const seen = new Map<string, MemoryFile>();
    const skipped: { path: string; reason: string }[] = [];
    for (const root of this.roots) {
      const real = await realpathOrUndefined(root.absolutePath);
      if (real === undefined) continue;
      if (!(await this.confinedReal(root, real, false))) {
        const shown = this.displayPath(root.absolutePath);
        skipped.push({ path: shown, reason: 'a symlink leads outside its memory folder' });
        continue;
      }
      const found = root.file ? [{ absolutePath: root.absolutePath, symlink: false }] : await walk(root.absolutePath);
      for (const entry of found) {
        const file = this.classify(entry.absolutePath);
        if (!file || seen.has(file.path)) continue;
        if (entry.symlink || root.file) {
          const target = await realpathOrUndefined(entry.absolutePath);
          const info = target === undefined ? undefined : await stat(target).catch(() => undefined);
          if (!info?.isFile()) continue;
          if (!(await this.confinedReal(root, target!, false))) {
            skipped.push({ path: file.path, reason: 'a symlink leads outside its memory folder' });
            continue;
          }
        }
        seen.set(file.path, file);
      }
    }
    return { files: [...seen.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), skipped };
  }

  /**
   * The memory file `input` names, as memory_get and memory_write accept it, or a
   * MemoryPathError saying why not. `mustExist` checks that the file is there.
   */
  async resolve(input: unknown, mustExist: boolean): Promise<MemoryFile> {
    if (typeof input !== 'string' || input.trim() === '' || input.includes('\0')) throw new MemoryPathError('invalid', 'path must be a non-empty string, e.g. MEMORY.md or memory/2026-01-31.md');
    const given = input.trim().replace(/\\/g, '/');
    if (given.split('/').includes('..')) throw new MemoryPathError('traversal', `"${input}" is refused: ".." may not appear in a memory path; give the path as memory_search shows it, e.g. memory/2026-01-31.md`);
    let absolutePath: string;
    if (isAbsolute(given) || /^[A-Za-z]:\//.test(given)) {
      absolutePath = resolve(given);
      const root = this.rootOf(absolutePath);
      // Absolute paths are how files outside the workspace (an extra path, an absolute workspace.memory_file) are shown, and only those are accepted that way.
      if (!root || root.kind === 'daily' || isInside(this.workspaceDir, root.absolutePath)) {
        throw new MemoryPathError('absolute', `"${input}" is refused: absolute paths are not accepted; give the path relative to the workspace, as memory_search shows it (e.g. ${this.example()})`);
      }
    } else {
      absolutePath = resolve(this.workspaceDir, given);
    }
    const root = this.rootOf(absolutePath);
    if (!root) throw new MemoryPathError('outside', `"${input}" is not a memory file: memory tools read ${this.roots.map((r) => r.label).join(', ')}`);
    const file = this.classify(absolutePath);
    if (!file) throw new MemoryPathError('not-markdown', `"${input}" is refused: only Markdown (.md) memory files can be read or written`);
    const real = await realpathOrUndefined(absolutePath);
    if (real === undefined) {
      if (mustExist) throw new MemoryPathError('missing', `${file.path} does not exist; memory_search lists the files there are`);
      // Not there yet: whatever exists of its folder must still be inside the root.
      const parentReal = await nearestExistingReal(absolutePath);
      if (parentReal !== undefined && !(await this.confinedReal(root, parentReal, true))) throw this.symlinkError(file.path);
      return file;
    }
    if (!(await this.confinedReal(root, real, false))) throw this.symlinkError(file.path);
    return file;
  }

  /** Workspace-relative with `/`; absolute for a file outside the workspace. */
  displayPath(absolutePath: string): string {
    // Plain prefix checks: this runs for every file of every index run.
    const prefix = this.workspaceDir.endsWith(sep) ? this.workspaceDir : this.workspaceDir + sep;
    if (!absolutePath.startsWith(prefix)) return isInside(this.workspaceDir, absolutePath) ? relative(this.workspaceDir, absolutePath).split(sep).join('/') : absolutePath;
    const rel = absolutePath.slice(prefix.length);
    return sep === '/' ? rel : rel.split(sep).join('/');
  }

  private rootOf(absolutePath: string): Root | undefined {
    return this.roots.find((root) => (root.file ? absolutePath === root.absolutePath : absolutePath.startsWith(root.absolutePath + sep)));
  }

  /**
   * Whether a real (symlink-free) path stays where its root is: inside the workspace for roots in
   * the workspace (MEMORY.md, the daily folder, extra paths there), else inside the root's own
   * real location. `folder` means `real` is the nearest existing folder of a file not yet created.
   */
  private async confinedReal(root: Root, real: string, folder: boolean): Promise<boolean> {
    if (isInside(this.workspaceDir, root.absolutePath)) {
      const workspaceReal = (await realpathOrUndefined(this.workspaceDir)) ?? this.workspaceDir;
      if (!isInside(workspaceReal, real)) return false;
      if (root.kind !== 'extra') return true;
    }
    const anchor = root.file ? dirname(root.absolutePath) : root.absolutePath;
    const anchorReal = await realpathOrUndefined(anchor);
    if (anchorReal === undefined) return folder && isInside(real, anchor);
    // A single file the operator named outside the workspace is trusted wherever it leads: they chose it.
    if (root.file) return folder ? isInside(real, anchorReal) : true;
    return isInside(anchorReal, real) || (folder && isInside(real, anchorReal));
  }

  private symlinkError(path: string): MemoryPathError {
    return new MemoryPathError('symlink', `${path} is refused: a symlink leads outside the memory folder it belongs to`);
  }

  private example(): string {
    return `${relative(this.workspaceDir, this.dailyDirectory).split(sep).join('/')}/2026-01-31.md`;
  }
}

export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

async function realpathOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch {
    return undefined;
  }
}

async function nearestExistingReal(path: string): Promise<string | undefined> {
  for (let dir = resolve(path, '..'); ; dir = resolve(dir, '..')) {
    const real = await realpathOrUndefined(dir);
    if (real !== undefined) return real;
    if (dir === resolve(dir, '..')) return undefined;
  }
}

/** Markdown files under `dir`, skipping hidden entries and not following symlinked folders; symlinked files are marked for `list` to check. */
async function walk(dir: string): Promise<{ absolutePath: string; symlink: boolean }[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: { absolutePath: string; symlink: boolean }[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path)));
    else if ((entry.isFile() || entry.isSymbolicLink()) && entry.name.toLowerCase().endsWith('.md')) files.push({ absolutePath: path, symlink: entry.isSymbolicLink() });
  }
  return files;
}
