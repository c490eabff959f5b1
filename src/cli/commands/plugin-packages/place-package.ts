import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PluginHome } from './plugin-home.js';
import type { StagedPackage } from './staged-package.js';

/** A staged package moved into place; `undo` puts everything back as it was. */
export interface PlacedPackage {
  readonly dir: string;
  undo(): void;
}

/**
 * Renames the staged folder to `node_modules/<name>`. A copy already there (an update) is first
 * renamed into the staging folder, so discovery sees either the old package or the new one, never
 * half of each, and the staging folder's removal deletes the old copy only once all went well.
 */
export function placePackage(staged: StagedPackage, home: PluginHome): PlacedPackage {
  const target = home.packageDir(staged.packed.name);
  const previous = join(staged.root, 'previous');
  mkdirSync(dirname(target), { recursive: true });
  const hadPrevious = existsSync(target);
  if (hadPrevious) renameSync(target, previous);
  try {
    renameSync(staged.dir, target);
  } catch (error) {
    if (hadPrevious) renameSync(previous, target);
    throw error;
  }
  return {
    dir: target,
    undo() {
      renameSync(target, staged.dir);
      if (hadPrevious) renameSync(previous, target);
    },
  };
}
