import { randomUUID } from 'node:crypto';
import { mkdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { Stats } from 'node:fs';
import type { WorkspaceFile } from './workspace-settings.js';

export interface SeedRequest {
  readonly dir: string;
  readonly files: readonly { readonly file: WorkspaceFile; readonly content: string }[];
  readonly overwrite: boolean;
  readonly signal: AbortSignal;
}

export type SeedOutcome =
  | { readonly status: 'created' | 'overwritten'; readonly file: WorkspaceFile }
  | { readonly status: 'skipped' | 'failed'; readonly file: WorkspaceFile; readonly reason: string };

export interface SeedResult {
  readonly dir: string;
  /** Set when the workspace folder itself could not be created; then no file was tried. */
  readonly dirFailure?: string;
  readonly outcomes: readonly SeedOutcome[];
}

/**
 * Writes each file that is missing (or every file, with `overwrite`). One file failing does not
 * stop the others, so the user sees every problem in one run.
 */
export async function seedWorkspace(request: SeedRequest): Promise<SeedResult> {
  try {
    await mkdir(request.dir, { recursive: true });
  } catch (error) {
    return { dir: request.dir, dirFailure: describeError(error), outcomes: [] };
  }
  const claimed = new Map<string, WorkspaceFile>();
  const outcomes: SeedOutcome[] = [];
  for (const { file, content } of request.files) {
    outcomes.push(await seedFile(file, content, request, claimed));
  }
  return { dir: request.dir, outcomes };
}

async function seedFile(file: WorkspaceFile, content: string, request: SeedRequest, claimed: Map<string, WorkspaceFile>): Promise<SeedOutcome> {
  // Two settings naming one file would otherwise have the second template silently replace the first.
  const earlier = claimed.get(file.path);
  if (earlier) return { status: 'skipped', file, reason: `same file as ${earlier.setting}` };
  claimed.set(file.path, file);

  let existing: Stats | undefined;
  try {
    existing = await stat(file.path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return { status: 'failed', file, reason: describeError(error) };
  }
  if (existing && !request.overwrite) return { status: 'skipped', file, reason: 'already exists; --overwrite replaces it' };
  if (existing && !existing.isFile()) return { status: 'failed', file, reason: 'exists and is not a regular file; remove it or configure another name' };

  try {
    // Overwriting through a symlink rewrites the file it points at instead of replacing the link.
    const destination = existing ? await realpath(file.path) : file.path;
    // Sub-folders of the workspace are ours to create; folders elsewhere (an absolute name) are not.
    if (!existing && isInside(request.dir, destination)) await mkdir(dirname(destination), { recursive: true });
    await writeAtomically(destination, content, request.signal);
  } catch (error) {
    return { status: 'failed', file, reason: describeError(error) };
  }
  return { status: existing ? 'overwritten' : 'created', file };
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** A crash or a full disk mid-write must not leave a truncated file where a good one was expected. */
async function writeAtomically(destination: string, content: string, signal: AbortSignal): Promise<void> {
  const temp = join(dirname(destination), `.${basename(destination)}.${randomUUID().slice(0, 8)}.tmp`);
  try {
    await writeFile(temp, content, { encoding: 'utf8', flag: 'wx', signal });
    await rename(temp, destination);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

const ERRNO_REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a folder in its path is a file',
  EEXIST: 'a file is in the way',
  EISDIR: 'it is a directory',
};

function describeError(error: unknown): string {
  const { code, name, message } = error as NodeJS.ErrnoException;
  if (name === 'AbortError') return 'interrupted before it was written';
  const reason = code ? ERRNO_REASONS[code] : undefined;
  return reason ? `${reason} (${code})` : message;
}
