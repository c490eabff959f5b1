// `nexus plugins list --json` from a fresh process in a workspace with N installed plugins.
// The command reads manifests only, so its cost should grow with N through discovery (stat,
// index lookup) and never through plugin code: every fake plugin throws if imported.
//
// Warm index (the normal case): one NEXUS_HOME kept across runs, first run thrown away, so the
// discovery index is filled. Cold index: a new NEXUS_HOME each run, so every manifest is read
// and schema-checked, as on a first run or after a host upgrade.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { childEnv } from '../harness/child-env.mjs';
import { writeFakePlugins } from '../harness/fake-plugins.mjs';
import { pairedRuns } from '../harness/paired-runs.mjs';
import { cliMain } from '../harness/paths.mjs';
import { timedSpawn } from '../harness/timed-spawn.mjs';
import { makeWorkDir } from '../harness/work-dir.mjs';

function listBenchmark({ name, count, coldIndex, target }) {
  return {
    results: [
      {
        name,
        unit: 'ms',
        what:
          `wall time of a fresh \`nexus plugins list --json\` with ${count} installed plugins, ` +
          `${coldIndex ? 'new NEXUS_HOME every run (cold discovery index)' : 'NEXUS_HOME kept between runs (warm discovery index)'}; baseline: \`node -e 0\``,
        target,
      },
    ],
    run({ runs }) {
      const root = makeWorkDir(name);
      const workspace = join(root, 'workspace');
      writeFakePlugins(join(workspace, 'node_modules'), count);
      let homes = 0;
      const freshHome = () => {
        const home = join(root, `home-${homes++}`);
        mkdirSync(home);
        return home;
      };
      const warmHome = freshHome();

      const measured = pairedRuns({
        runs,
        ours: () => {
          // Creating the fresh home is set-up, outside the timed spawn.
          const home = coldIndex ? freshHome() : warmHome;
          const { ms, stdout } = timedSpawn(process.execPath, [cliMain, 'plugins', 'list', '--json'], { cwd: workspace, env: childEnv({ NEXUS_HOME: home }) });
          checkListing(stdout, count);
          return ms;
        },
        baseline: () => timedSpawn(process.execPath, ['-e', '0'], { cwd: workspace, env: childEnv() }).ms,
      });
      return { [name]: measured };
    },
  };
}

/**
 * The command must really have listed the N installed plugins (besides the host's built-ins),
 * all enabled and none loaded. Built-ins that are off by default (the other storage backends, the
 * webhook channel) are listed as disabled, and that is right.
 */
function checkListing(stdout, count) {
  const plugins = JSON.parse(stdout);
  const installed = plugins.filter((p) => p.origin !== 'builtin');
  const offByDefault = (p) => p.origin === 'builtin' && !p.enabled && p.state === 'disabled';
  const wrong = plugins.filter((p) => !offByDefault(p) && (!p.enabled || p.state !== 'discovered' || p.diagnostics.length > 0));
  if (installed.length !== count || wrong.length > 0) {
    throw new Error(`plugins list showed ${installed.length} installed plugins (expected ${count}), ${wrong.length} not enabled-and-discovered: ${JSON.stringify(wrong.slice(0, 3))}`);
  }
}

export default [
  listBenchmark({ name: 'plugins-list-0', count: 0, coldIndex: false }),
  listBenchmark({ name: 'plugins-list-100', count: 100, coldIndex: false, target: { on: 'value', max: 300 } }),
  listBenchmark({ name: 'plugins-list-1000', count: 1000, coldIndex: false }),
  listBenchmark({ name: 'plugins-list-100-cold-index', count: 100, coldIndex: true }),
];
