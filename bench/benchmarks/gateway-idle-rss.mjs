// Resident memory of `nexus serve` (default plugins) idle after start: SERVING, no traffic, 2 s
// after its addresses were printed, read from /proc. Baseline: a bare node process idling the
// same way, read the same way.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { childEnv } from '../harness/child-env.mjs';
import { makeWorkDir } from '../harness/work-dir.mjs';
import { rssOf, startServe } from './gateway-process.mjs';

const MB = 1024 * 1024;
const IDLE_MS = 2000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function idleNode() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30); process.stdout.write("ready\\n")'], { env: childEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
  await once(child.stdout, 'data');
  await sleep(IDLE_MS);
  const rss = rssOf(child.pid);
  child.kill('SIGTERM');
  await once(child, 'exit');
  return rss / MB;
}

export default {
  results: [
    {
      name: 'gateway-idle-rss',
      unit: 'MB',
      what: `RSS (MiB) of \`nexus serve\` with default plugins, ${IDLE_MS / 1000} s after it printed its addresses, no traffic; baseline: a bare idle node process`,
      target: { on: 'value', max: 120 },
    },
  ],
  async run({ runs }) {
    const root = makeWorkDir('gateway-rss');
    const values = [];
    const baselines = [];
    for (let round = 0; round < runs; round++) {
      const serve = await startServe(join(root, `run-${round}`), { server: { grpc_port: 0, http_port: 0 } });
      try {
        await sleep(IDLE_MS);
        values.push(rssOf(serve.pid) / MB);
      } finally {
        await serve.stop();
      }
      baselines.push(await idleNode());
    }
    return { 'gateway-idle-rss': { values, baselines } };
  },
};
