import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { CliExit, EXIT } from '../../cli-context.js';

/** What `nexus plugins install` was given: a package tarball, a package folder, or an npm spec. */
export interface PackageSource {
  readonly kind: 'tarball' | 'folder' | 'npm';
  /** An absolute path for a tarball or a folder (so `update` finds it from anywhere); the spec as given for npm. */
  readonly spec: string;
}

const TARBALL = /\.(tgz|tar\.gz|tar)$/i;

/**
 * Reads the argument as npm would, but decides up front whether it is a local path: a path that
 * does not exist is an error here, with its absolute form, rather than an npm registry lookup of
 * a strange package name.
 */
export function packageSource(given: string, cwd: string): PackageSource {
  if (given.trim() === '') throw new CliExit(EXIT.usage, 'the plugin to install is empty; give an npm package name (nexus-plugin-x@1.2.0), a tarball (x-1.2.0.tgz) or a plugin folder');
  // npm's own rule: a leading `.`, `~`, `/` or `file:`, or a tarball's extension, makes a path;
  // anything else (`x`, `@acme/x@^1`, `user/repo`) is for npm to resolve.
  const looksLocal = given.startsWith('.') || given.startsWith('~') || isAbsolute(given) || given.startsWith('file:') || TARBALL.test(given);
  if (!looksLocal) return { kind: 'npm', spec: given };
  const path = resolve(cwd, given.replace(/^file:/, '').replace(/^~(?=$|[\\/])/, process.env.HOME ?? '~'));
  const stats = statSync(path, { throwIfNoEntry: false });
  if (stats?.isDirectory()) return { kind: 'folder', spec: path };
  if (stats?.isFile()) {
    if (!TARBALL.test(path)) throw new CliExit(EXIT.problems, `${path} is a file but not a package tarball (.tgz); make one with \`npm pack\` in the plugin's folder, or give the folder itself; nothing was changed`);
    return { kind: 'tarball', spec: path };
  }
  throw new CliExit(EXIT.problems, `${path} does not exist; check the path (relative paths resolve against ${cwd}); nothing was changed`);
}

export function describeSource(source: PackageSource): string {
  return source.kind === 'npm' ? `npm package ${source.spec}` : `${source.kind} ${source.spec}`;
}
