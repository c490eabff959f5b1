import { mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive } from '@nexus/plugin-sdk';
import type { PluginHome } from './plugin-home.js';

/**
 * A fresh folder under `$NEXUS_HOME/plugins/.staging`, named after this process. Folders left by
 * a run that was killed (its pid no longer alive) are removed first: a kill -9 mid-install leaves
 * its staging behind, but never for longer than the next install or uninstall.
 */
export function stagingFolder(home: PluginHome, purpose: 'install' | 'uninstall'): string {
  mkdirSync(home.stagingRoot, { recursive: true });
  for (const name of readdirSync(home.stagingRoot)) {
    const pid = Number(/^(?:install|uninstall)-(\d+)-/.exec(name)?.[1]);
    if (pid > 0 && !isProcessAlive(pid)) rmSync(join(home.stagingRoot, name), { recursive: true, force: true });
  }
  return mkdtempSync(join(home.stagingRoot, `${purpose}-${process.pid}-`));
}

/** Removes a staging folder, and the folders above it that it leaves empty: nothing changed means nothing. */
export function removeStagingFolder(home: PluginHome, dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  removeIfEmpty(home.stagingRoot);
  removeIfEmpty(home.root);
}

export function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Not empty (or already gone): it stays as it is.
  }
}

