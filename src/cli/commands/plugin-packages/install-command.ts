import { EXIT, type CliIo, type GlobalOptions } from '../../cli-context.js';
import type { ConsentOptions } from './consent.js';
import { installPackage } from './install-flow.js';
import { packageContext } from './package-context.js';
import { packageSource } from './package-source.js';

/** `nexus plugins install <npm-spec | tarball | folder> [--yes]`. */
export async function pluginsInstall(globals: GlobalOptions, io: CliIo, given: string, consent: ConsentOptions): Promise<number> {
  const source = packageSource(given, io.cwd);
  await installPackage(packageContext(globals, io), source, consent);
  return EXIT.ok;
}
