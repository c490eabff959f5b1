// Runs children/kernel-ready.mjs once in a fresh process and returns what it measured.
import { join } from 'node:path';
import { benchDir, contractsEntry, echoPluginDir, kernelEntry } from './paths.mjs';
import { childEnv } from './child-env.mjs';
import { timedSpawn } from './timed-spawn.mjs';

const script = join(benchDir, 'children', 'kernel-ready.mjs');

/** `fakePlugins` is how many fake packages are in packageDir; echo comes on top. */
export function runKernelChild({ home, workspaceDir, packageDir, fakePlugins }) {
  const args = { kernelEntry, contractsEntry, echoDir: echoPluginDir, home, workspaceDir, packageDir, expectedPlugins: fakePlugins + 1 };
  const { stdout } = timedSpawn(process.execPath, [script, JSON.stringify(args)], { cwd: workspaceDir, env: childEnv({ NEXUS_HOME: home }) });
  return JSON.parse(stdout);
}
