import { CliExit, EXIT, type CliIo, type GlobalOptions } from '../../cli-context.js';
import type { ConsentOptions } from './consent.js';
import { installPackage } from './install-flow.js';
import { packageContext } from './package-context.js';
import { recordedPlugin } from './recorded-plugin.js';

/**
 * `nexus plugins update [id]`: resolves each recorded source again (an npm spec's newest
 * matching version, a folder's or tarball's current content) and installs it in place of the
 * old copy, with the same checks as install. One failing leaves its old copy and the rest go on.
 */
export async function pluginsUpdate(globals: GlobalOptions, io: CliIo, id: string | undefined, consent: ConsentOptions): Promise<number> {
  const ctx = packageContext(globals, io);
  const targets = id === undefined ? ctx.records.all() : [recordedPlugin(ctx, id, 'update')];
  if (targets.length === 0) {
    io.stdout('No plugins are installed with `nexus plugins install`; nothing to update.\n');
    return EXIT.ok;
  }
  let failed = 0;
  for (const record of targets) {
    try {
      await installPackage(ctx, record.source, consent, record);
    } catch (error) {
      if (!(error instanceof CliExit) || targets.length === 1) throw error;
      failed++;
      io.stderr(`nexus: ${record.id} was not updated (${record.version} stays): ${error.message}\n`);
    }
  }
  return failed > 0 ? EXIT.problems : EXIT.ok;
}
