import { didYouMean } from '../../../kernel/index.js';
import { CliExit, EXIT } from '../../cli-context.js';
import type { PackageContext } from './install-flow.js';
import type { InstallRecord } from './install-records.js';

/**
 * The install record of `id`, for update and uninstall. A plugin that is there but was not
 * installed by `nexus plugins install` (a built-in, a config path, the workspace) is refused with
 * what to do instead.
 */
export function recordedPlugin(ctx: PackageContext, id: string, verb: 'update' | 'uninstall'): InstallRecord {
  const record = ctx.records.get(id);
  if (record) return record;
  const found = ctx.kernel.record(id);
  if (found?.origin === 'builtin') {
    throw new CliExit(EXIT.problems, `${id} is a built-in plugin: it ships with Nexus and cannot be ${verb === 'update' ? 'updated' : 'uninstalled'} on its own${verb === 'uninstall' ? `; turn it off with \`nexus plugins disable ${id}\`` : '; it updates with Nexus'}`);
  }
  if (found) {
    throw new CliExit(EXIT.problems, `${id} was not installed with \`nexus plugins install\` (it is a ${found.origin} plugin at ${found.manifestPath}), so there is no record to ${verb} it by; change or remove it there`);
  }
  const suggestion = didYouMean(id, ctx.records.all().map((r) => r.id));
  throw new CliExit(EXIT.problems, `no installed plugin "${id}"${suggestion ? `; did you mean "${suggestion}"?` : ''} (\`nexus plugins verify\` lists the installed ones)`);
}
