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
        "the host, inversify included, is one bundle now, so inversify's some 300 ES modules no longer load one by one; " +
        "but echo comes from outside the host, so loading it registers Node's loader hooks that hand it the host's " +
        'inversify, and in Node 20 those run on a loader thread with a V8 heap of its own (some 12 MB; Node 22.15 and later ' +
        'run them in the main thread, and on Node 24 this benchmark measures about 58 MB). Not measured apart in this run.',
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
