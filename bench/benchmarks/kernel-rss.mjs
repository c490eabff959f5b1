// Resident memory of a fresh process once the kernel is ready with echo active (no other
// plugins), against a bare node process reading its own RSS: the difference is what the
// kernel, its dependencies and one plugin add.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { childEnv } from '../harness/child-env.mjs';
import { runKernelChild } from '../harness/kernel-child.mjs';
import { pairedRuns } from '../harness/paired-runs.mjs';
import { timedSpawn } from '../harness/timed-spawn.mjs';
import { makeWorkDir } from '../harness/work-dir.mjs';

const MB = 1024 * 1024;

export default {
  results: [
    {
      name: 'kernel-rss-echo',
      unit: 'MB',
      what: 'RSS (MiB) of a fresh process after kernel ready with echo active; baseline: RSS of a bare `node -e`',
      target: { on: 'value', max: 60 },
      whenMissed:
        'inversify 8 alone takes a bare node from about 40 MB to 57 MB here (it is about 300 ES modules; ' +
        '`node -e "import(\'inversify\')"` shows it), and echo needs it. Everything else is already lazy: ' +
        'listing loads no container, YAML loads only for a YAML file, and a warm start answers config validation ' +
        'from the discovery index without loading ajv. Bundling our own modules saved about 1 MB, and V8 heap ' +
        'flags nothing measurable. What is left is the container library itself.',
    },
  ],
  run({ runs }) {
    const root = makeWorkDir('rss');
    const home = join(root, 'home');
    mkdirSync(home);
    const kernel = { home, workspaceDir: root, packageDir: join(root, 'node_modules'), fakePlugins: 0 };
    const bare = ['-e', 'process.stdout.write(String(process.memoryUsage().rss))'];
    const measured = pairedRuns({
      runs,
      ours: () => runKernelChild(kernel).rssBytes / MB,
      baseline: () => Number(timedSpawn(process.execPath, bare, { cwd: root, env: childEnv() }).stdout) / MB,
    });
    return { 'kernel-rss-echo': measured };
  },
};
