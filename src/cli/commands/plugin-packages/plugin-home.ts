import { join, sep } from 'node:path';

/**
 * Where installed plugin packages live: `$NEXUS_HOME/plugins/node_modules/<package>`, the folder
 * discovery already searches (origin "installed"); the record of what was installed, and the
 * staging folders, sit beside it on the same filesystem so a staged package renames into place.
 */
export class PluginHome {
  readonly root: string;
  readonly nodeModules: string;
  readonly recordFile: string;
  /** Discovery skips dot-folders, so nothing staged here is ever taken for a plugin. */
  readonly stagingRoot: string;

  constructor(home: string) {
    this.root = join(home, 'plugins');
    this.nodeModules = join(this.root, 'node_modules');
    this.recordFile = join(this.root, 'installed.json');
    this.stagingRoot = join(this.root, '.staging');
  }

  /** `node_modules/<name>`, a scoped name (`@acme/x`) as two folder levels. */
  packageDir(name: string): string {
    return join(this.nodeModules, ...name.split('/'));
  }

  /** Whether `path` is inside the installed packages' folder (not a built-in or a config path). */
  holds(path: string): boolean {
    return path.startsWith(this.nodeModules + sep);
  }
}
