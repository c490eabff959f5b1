// `nexus --help` from a fresh process in a workspace with 100 installed plugins, each declaring
// a command in its manifest. The help lists every command, plugins' included, from manifests
// only: every fake plugin throws if imported, and the run checks that all 100 commands are
// listed and nothing was written to stderr (a plugin that failed to load would say so).
// NEXUS_HOME is kept between runs (the first is thrown away), so the discovery index and the
// help cache are warm: `cli-help-100` is the help as a user sees it the second time on. The
// `-miss` variant empties the help cache before each run (the discovery index stays warm): the
// first help after a plugin, config or build changed, which runs the full command line.
import { mkdirSync, rmSync } from 'node:fs';
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
      what: `wall time of a fresh \`nexus --help\` listing the commands of ${COUNT} installed plugins from their manifests (warm help cache: answered without loading commander or the kernel, after checking the config's and every manifest's stats; no plugin code loaded); baseline: \`node -e 0\``,
      target: { on: 'ratio', max: 1.5 },
      whenMissed:
        'a warm help is node starting, main.js and the help cache module (node:crypto, the config-source resolver and the manifest walk) loading, and one readdir plus a stat per installed package and built-in plugin to check the cache entry. Past that, the remaining cost is node itself.',
    },
    {
      name: 'cli-help-100-miss',
      unit: 'ms',
      what: `the same \`nexus --help\` with the help cache emptied before each run (warm discovery index): the first help after a plugin, the config or the build changed, which loads commander and the kernel to read the config and manifests, and stores the help; baseline: \`node -e 0\``,
    },
  ],
  run({ runs }) {
    const root = makeWorkDir('cli-help-100');
    const workspace = join(root, 'workspace');
    writeFakePlugins(join(workspace, 'node_modules'), COUNT);
    const home = join(root, 'home');
    mkdirSync(home);
    const env = childEnv({ NEXUS_HOME: home });
    const help = () => {
      const { ms, stdout, stderr } = timedSpawn(process.execPath, [cliMain, '--help'], { cwd: workspace, env });
      checkHelp(stdout, stderr);
      return ms;
    };
    const baseline = () => timedSpawn(process.execPath, ['-e', '0'], { cwd: workspace, env }).ms;
    const warm = pairedRuns({ runs, ours: help, baseline });
    const miss = pairedRuns({
      runs,
      ours: () => {
        rmSync(join(home, 'cache', 'help'), { recursive: true, force: true });
        return help();
      },
      baseline,
    });
    return { 'cli-help-100': warm, 'cli-help-100-miss': miss };
  },
};

function checkHelp(stdout, stderr) {
  const listed = [...stdout.matchAll(/^ {2}fake-(\d+) /gm)].length;
  if (listed !== COUNT || stderr !== '') throw new Error(`nexus --help listed ${listed} of ${COUNT} plugin commands; stderr: ${stderr}`);
}
