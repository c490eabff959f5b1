// Scratch folders under bench/.work/, one per benchmark and process, removed when the run ends
// (also on failure), so a crashed run leaves nothing that a later run could mistake for state.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { workRoot } from './paths.mjs';

const created = new Set();

export function makeWorkDir(label) {
  mkdirSync(workRoot, { recursive: true });
  const dir = mkdtempSync(join(workRoot, `${label}-`));
  created.add(dir);
  return dir;
}

export function removeWorkDirs() {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
  created.clear();
}
