import { existsSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EXIT, type CliIo, type GlobalOptions } from '../../cli-context.js';
import { packageContext } from './package-context.js';
import { recordedPlugin } from './recorded-plugin.js';
import { removeIfEmpty, removeStagingFolder, stagingFolder } from './staging-folder.js';

/**
 * `nexus plugins uninstall <id>`: removes the package folder and its record. The folder is first
 * renamed into the staging area, so discovery never sees half a package while it is deleted.
 */
export function pluginsUninstall(globals: GlobalOptions, io: CliIo, id: string): number {
  const ctx = packageContext(globals, io);
  const record = recordedPlugin(ctx, id, 'uninstall');
  const dir = ctx.home.packageDir(record.package);
  const trash = stagingFolder(ctx.home, 'uninstall');
  const moved = join(trash, 'package');
  try {
    const present = existsSync(dir);
    if (present) renameSync(dir, moved);
    else io.stderr(`note: ${dir} was already gone; removing the record only.\n`);
    try {
      ctx.records.delete(id);
    } catch (error) {
      if (present) renameSync(moved, dir);
      throw error;
    }
    // A scope folder (node_modules/@acme) left empty is removed too.
    if (record.package.startsWith('@')) removeIfEmpty(dirname(dir));
  } finally {
    removeStagingFolder(ctx.home, trash);
  }
  io.stdout(`Uninstalled ${id} (${record.package}@${record.version}).\n`);
  const entries = (ctx.kernel.config.data.plugins as { entries?: Record<string, unknown> } | undefined)?.entries;
  if (entries && id in entries) io.stdout(`${ctx.kernel.config.path ?? 'The config'} still has plugins.entries.${id}; remove it, as it now names no plugin.\n`);
  return EXIT.ok;
}
