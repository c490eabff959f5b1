import { createKernel, type CliIo, type GlobalOptions } from '../../cli-context.js';
import type { PackageContext } from './install-flow.js';
import { InstallRecords } from './install-records.js';
import { NpmClient } from './npm-client.js';
import { PluginHome } from './plugin-home.js';

/** The kernel under the global options, and the plugin home under its `$NEXUS_HOME`. */
export function packageContext(globals: GlobalOptions, io: CliIo): PackageContext {
  const kernel = createKernel(globals, io);
  const home = new PluginHome(kernel.home);
  return { kernel, io, home, npm: new NpmClient(io.env), records: InstallRecords.read(home.recordFile) };
}
