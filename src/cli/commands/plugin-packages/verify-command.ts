import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultHome } from '../../../kernel/index.js';
import { EXIT, type CliIo } from '../../cli-context.js';
import { table } from '../../output/index.js';
import { InstallRecords } from './install-records.js';
import { PluginHome } from './plugin-home.js';
import { treeDigest } from './tree-digest.js';

type Status = 'ok' | 'modified' | 'missing' | 'unrecorded';

interface Checked {
  readonly id: string | null;
  readonly package: string;
  readonly version: string | null;
  readonly status: Status;
  readonly path: string;
}

const EXPLAINED: Record<Exclude<Status, 'ok'>, string> = {
  modified: 'its files differ from what was installed: reinstall it with `nexus plugins update <id>`, or find out who changed it',
  missing: 'its folder is gone: `nexus plugins update <id>` installs it again, `nexus plugins uninstall <id>` drops the record',
  unrecorded: 'a package nobody installed with `nexus plugins install` (copied in by hand?): there is nothing to check it against; install it with `nexus plugins install`, or remove it',
};

/**
 * `nexus plugins verify [--json]`: recomputes each installed package's content digest and
 * compares it with the record made at install. Any difference, a missing folder or a package
 * without a record exits 1.
 */
export function pluginsVerify(io: CliIo, options: { readonly json?: boolean }): number {
  // Reads no config: what is installed depends on $NEXUS_HOME alone.
  const home = new PluginHome(resolve(defaultHome(io.env)));
  const records = InstallRecords.read(home.recordFile);
  const checked: Checked[] = records.all().map((r) => {
    const path = home.packageDir(r.package);
    const status: Status = !existsSync(path) ? 'missing' : treeDigest(path) === r.tree ? 'ok' : 'modified';
    return { id: r.id, package: r.package, version: r.version, status, path };
  });
  const recorded = new Set(records.all().map((r) => r.package));
  for (const name of installedPackages(home.nodeModules)) {
    if (!recorded.has(name)) checked.push({ id: null, package: name, version: null, status: 'unrecorded', path: home.packageDir(name) });
  }
  const bad = checked.filter((c) => c.status !== 'ok');
  if (options.json) io.stdout(`${JSON.stringify(checked, null, 2)}\n`);
  else if (checked.length === 0) io.stdout(`No plugins are installed in ${home.nodeModules}.\n`);
  else {
    io.stdout(table(['ID', 'PACKAGE', 'VERSION', 'STATUS'], checked.map((c) => [c.id ?? '-', c.package, c.version ?? '-', c.status])));
    for (const c of bad) io.stderr(`${c.status}: ${c.id ?? c.package} at ${c.path}\n    hint: ${EXPLAINED[c.status as Exclude<Status, 'ok'>].replaceAll('<id>', c.id ?? '<id>')}\n`);
  }
  return bad.length > 0 ? EXIT.problems : EXIT.ok;
}

/** Package names under node_modules (`x`, `@acme/x`), npm's own dot-files left out. */
function installedPackages(nodeModules: string): string[] {
  const list = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => !n.startsWith('.')).sort() : []);
  return list(nodeModules).flatMap((name) => (name.startsWith('@') ? list(join(nodeModules, name)).map((inner) => `${name}/${inner}`) : [name]));
}
