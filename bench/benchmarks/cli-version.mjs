// `nexus --version` answers before the command tree loads (src/cli/main.ts), so it should
// cost little more than starting node itself; `node -e 0` in the same run is that floor.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { childEnv } from '../harness/child-env.mjs';
import { pairedRuns } from '../harness/paired-runs.mjs';
import { cliMain, repoRoot } from '../harness/paths.mjs';
import { timedSpawn } from '../harness/timed-spawn.mjs';

export default {
  results: [
    {
      name: 'cli-version',
      unit: 'ms',
      what: 'wall time of a fresh `node dist/cli/main.js --version`; baseline: `node -e 0`',
      target: { on: 'ratio', max: 1.3 },
    },
  ],
  run({ runs }) {
    const options = { cwd: repoRoot, env: childEnv() };
    const expected = `${JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version}\n`;
    const measured = pairedRuns({
      runs,
      ours: () => {
        const { ms, stdout } = timedSpawn(process.execPath, [cliMain, '--version'], options);
        if (stdout !== expected) throw new Error(`--version printed ${JSON.stringify(stdout)}, expected ${JSON.stringify(expected)}`);
        return ms;
      },
      baseline: () => timedSpawn(process.execPath, ['-e', '0'], options).ms,
    });
    return { 'cli-version': measured };
  },
};
