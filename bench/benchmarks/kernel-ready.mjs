// Time to ready with the echo plugin active, with 1000 installed-but-idle plugins against
// none. Lazy activation means the 1000 should cost only discovery and planning; the ratio
// shows how much they cost. Each run is a fresh process (children/kernel-ready.mjs).
//
// Two results from the same runs: from the start of the child script (import + kernel calls,
// the ratio the target applies to) and from process start (adds node's own boot, which is the
// same for both sides and so dilutes the ratio).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFakePlugins } from '../harness/fake-plugins.mjs';
import { runKernelChild } from '../harness/kernel-child.mjs';
import { median } from '../harness/median.mjs';
import { pairedRuns } from '../harness/paired-runs.mjs';
import { makeWorkDir } from '../harness/work-dir.mjs';

const INSTALLED = 1000;

/** A workspace with `count` fake plugins and its own NEXUS_HOME, kept across runs (warm index). */
function setup(root, count) {
  const dir = join(root, `with-${count}`);
  const packageDir = writeFakePlugins(join(dir, 'node_modules'), count);
  const home = join(dir, 'home');
  mkdirSync(home);
  return { home, workspaceDir: dir, packageDir, fakePlugins: count };
}

export default {
  results: [
    {
      name: 'ready-1000-vs-0',
      unit: 'ms',
      what: `fresh process: import kernel + start() + activate echo, measured from the child script's start, with ${INSTALLED} idle installed plugins; baseline: same with 0`,
      target: { on: 'ratio', max: 1.5 },
      whenMissed:
        "with 1000 idle plugins ready takes some 55 ms more (reading the discovery index, a stat per manifest to " +
        "check it, planning, and collecting the garbage of all that), a little less than before; what changed is " +
        "the baseline. Echo now takes its decorators from the SDK, so loading it starts no loader thread, and " +
        "ready with 0 plugins fell from about 170 to 100 ms in the same session. Three runs of 9 on this machine " +
        "that afternoon gave 1.27, 2.09 and 1.57 (`npm run bench` prints each side split into import and kernel " +
        "calls).",
    },
    {
      name: 'ready-1000-vs-0-process',
      unit: 'ms',
      what: `same runs as ready-1000-vs-0, measured from process start (includes node boot); baseline: same with 0`,
    },
  ],
  run({ runs }) {
    const root = makeWorkDir('ready');
    const many = setup(root, INSTALLED);
    const none = setup(root, 0);
    // Each sample is the child's whole report, so both results come from the same runs.
    const { values: withMany, baselines: withNone } = pairedRuns({
      runs,
      ours: () => runKernelChild(many),
      baseline: () => runKernelChild(none),
    });
    const pick = (list, key) => list.map((s) => s[key]);
    const split = (list) => `import ${median(pick(list, 'importMs')).toFixed(0)} ms + kernel calls ${median(pick(list, 'kernelMs')).toFixed(0)} ms`;
    return {
      'ready-1000-vs-0': { values: pick(withMany, 'fromScriptMs'), baselines: pick(withNone, 'fromScriptMs') },
      'ready-1000-vs-0-process': { values: pick(withMany, 'fromProcessStartMs'), baselines: pick(withNone, 'fromProcessStartMs') },
      notes: [`with ${INSTALLED}: ${split(withMany)}`, `with 0: ${split(withNone)}`],
    };
  },
};
