import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes `text` to `path` through a temporary file and a rename, so a reader never sees half a
 * file and an interrupted write leaves the old one intact. An existing file keeps its mode
 * (a config holding secrets may be 0600) unless `mode` says otherwise.
 */
export function writeAtomically(path: string, text: string, mode = statSync(path, { throwIfNoEntry: false })?.mode): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text, mode === undefined ? {} : { mode: mode & 0o7777 });
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}
