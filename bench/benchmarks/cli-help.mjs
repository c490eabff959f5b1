// `nexus --help` from a fresh process in a workspace with 100 installed plugins, each declaring
// a command in its manifest. The help lists every command, plugins' included, from manifests
// only: every fake plugin throws if imported, and the run checks that all 100 commands are
// listed and nothing was written to stderr (a plugin that failed to load would say so).
// NEXUS_HOME is kept between runs (the first is thrown away), so the discovery index is warm.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { childEnv } from '../harness/child-env.mjs';
import { writeFakePlugins } from '../harness/fake-plugins.mjs';
import { pairedRuns } from '../harness/paired-runs.mjs';
import { cliMain } from '../harness/paths.mjs';
import { timedSpawn } from '../harness/timed-spawn.mjs';
import { makeWorkDir } from '../harness/work-dir.mjs';

const COUNT = 100;

export default {
  results: [
    {
      name: 'cli-help-100',
      unit: 'ms',
      what: `wall time of a fresh \`nexus --help\` listing the commands of ${COUNT} installed plugins from their manifests (warm discovery index, no plugin code loaded); baseline: \`node -e 0\``,
      target: { on: 'ratio', max: 1.5 },
      whenMissed:
        'the help reads the config and every manifest through the kernel (discovery, validation index, enablement plan) before commander prints it; the kernel modules are most of the cost, as for `plugins list` (`plugins-list-100`). Meeting 1.5× needs a help path that skips the kernel, such as a rendered-help cache keyed by the config and manifest stats.',
    },
  ],
  run({ runs }) {
    const root = makeWorkDir('cli-help-100');
    const workspace = join(root, 'workspace');
    writeFakePlugins(join(workspace, 'node_modules'), COUNT);
    const home = join(root, 'home');
    mkdirSync(home);
    const env = childEnv({ NEXUS_HOME: home });
    const measured = pairedRuns({
      runs,
      ours: () => {
        const { ms, stdout, stderr } = timedSpawn(process.execPath, [cliMain, '--help'], { cwd: workspace, env });
        checkHelp(stdout, stderr);
        return ms;
      },
      baseline: () => timedSpawn(process.execPath, ['-e', '0'], { cwd: workspace, env }).ms,
    });
    return { 'cli-help-100': measured };
  },
};

function checkHelp(stdout, stderr) {
  const listed = [...stdout.matchAll(/^ {2}fake-(\d+) /gm)].length;
  if (listed !== COUNT || stderr !== '') throw new Error(`nexus --help listed ${listed} of ${COUNT} plugin commands; stderr: ${stderr}`);
}
