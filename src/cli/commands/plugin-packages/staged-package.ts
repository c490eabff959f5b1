import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FILE } from '../../../kernel/index.js';
import type { NpmClient, PackedTarball } from './npm-client.js';
import { describeSource, type PackageSource } from './package-source.js';
import type { PluginHome } from './plugin-home.js';
import { removeStagingFolder, stagingFolder } from './staging-folder.js';

/** A package unpacked and installed in a staging folder, not yet where discovery looks. */
export interface StagedPackage {
  readonly source: PackageSource;
  /** The staging folder; on the same filesystem as the installed packages, so renames between them are atomic. */
  readonly root: string;
  readonly packed: PackedTarball;
  /** The staging project's node_modules, holding only this package. */
  readonly nodeModules: string;
  /** The package's folder: what moves into place. */
  readonly dir: string;
  readonly manifestPath: string;
  /** Removes the staging folder (whatever was not moved out of it). */
  discard(): void;
}

/**
 * Packs the source to one tarball (a registry download, a folder packed, a tarball repacked:
 * the same path for all three, and the integrity recorded is always a tarball's), then installs
 * it with its production dependencies into a fresh folder under `$NEXUS_HOME/plugins/.staging`.
 * No lifecycle script runs at either step.
 */
export async function stagePackage(source: PackageSource, home: PluginHome, npm: NpmClient): Promise<StagedPackage> {
  const root = stagingFolder(home, 'install');
  const discard = () => removeStagingFolder(home, root);
  try {
    const tarballs = join(root, 'tarball');
    const project = join(root, 'project');
    mkdirSync(tarballs);
    mkdirSync(project);
    const what = describeSource(source);
    const packed = await npm.pack(source.spec, tarballs, what);
    await npm.install(join(tarballs, packed.filename), project, what);
    const nodeModules = join(project, 'node_modules');
    const dir = join(nodeModules, ...packed.name.split('/'));
    return { source, root, packed, nodeModules, dir, manifestPath: join(dir, MANIFEST_FILE), discard };
  } catch (error) {
    discard();
    throw error;
  }
}

