// What `npm install` of the host puts on disk: node_modules after a production `npm ci` of a
// copy of the repo's manifests and lockfile. The baseline is not measured: it is OpenClaw's
// published 768 MB, the figure this project set out to beat, kept as a constant.
//
// One install, not seven: the size is a function of the lockfile, not of machine load.
// Needs the npm registry (or a warm npm cache); BENCH_SKIP_INSTALL=1 skips it.
import { copyFileSync, mkdirSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { childEnv } from '../harness/child-env.mjs';
import { dirSize } from '../harness/dir-size.mjs';
import { repoRoot } from '../harness/paths.mjs';
import { makeWorkDir } from '../harness/work-dir.mjs';

const OPENCLAW_MB = 768;
const MB = 1024 * 1024;

/** package.json files npm ci needs: the root, its lockfile and every workspace's manifest. */
function manifestFiles() {
  const examples = join(repoRoot, 'examples', 'plugins');
  const workspaces = readdirSync(examples)
    .map((name) => join('examples', 'plugins', name, 'package.json'))
    .filter((file) => existsSync(join(repoRoot, file)));
  return ['package.json', 'package-lock.json', join('plugin-sdk', 'package.json'), ...workspaces];
}

/** npm as the user runs it: the one that launched `npm run bench` when there is one. */
function npm(args, cwd) {
  const [command, prefix] = process.env.npm_execpath ? [process.execPath, [process.env.npm_execpath]] : ['npm', []];
  const child = spawnSync(command, [...prefix, ...args], { cwd, env: childEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.error) throw child.error;
  if (child.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${child.status}):\n${child.stderr}`);
}

export default {
  results: [
    {
      name: 'install-footprint',
      unit: 'MB',
      what: 'size (MiB, apparent) of node_modules after `npm ci --omit=dev --ignore-scripts` of the repo\'s manifests and lockfile; baseline: OpenClaw\'s figure',
      baselineNote: 'OpenClaw, constant',
      target: { on: 'value', max: 150 },
    },
  ],
  run() {
    if (process.env.BENCH_SKIP_INSTALL === '1') return { skipped: 'BENCH_SKIP_INSTALL=1' };
    const dir = makeWorkDir('install');
    for (const file of manifestFiles()) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      copyFileSync(join(repoRoot, file), join(dir, file));
    }
    npm(['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], dir);
    const { bytes, diskBytes } = dirSize(join(dir, 'node_modules'));
    return {
      'install-footprint': { values: [bytes / MB], baselineConstant: OPENCLAW_MB },
      notes: [`allocated on disk: ${(diskBytes / MB).toFixed(1)} MiB (filesystem-dependent; the result uses file sizes)`],
    };
  },
};
