// Where the benchmarks find the build and put their files. Everything is resolved from this
// file's location so `npm run bench` works from any cwd.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const benchDir = join(repoRoot, 'bench');
export const distDir = join(repoRoot, 'dist');
export const cliMain = join(distDir, 'cli', 'main.js');
export const kernelEntry = join(distDir, 'kernel', 'index.js');
/** The SDK's build, which the host and its plugins share. */
export const contractsEntry = join(repoRoot, 'plugin-sdk', 'dist', 'index.js');
export const echoPluginDir = join(repoRoot, 'examples', 'plugins', 'echo');
/** Git-ignored scratch space; fake workspaces and the install copy live here while a run lasts. */
export const workRoot = join(benchDir, '.work');
/** Kept in git: the latest result of each benchmark, one JSON file each. */
export const resultsDir = join(benchDir, 'results');
export const docsFile = join(repoRoot, 'docs', 'benchmarks.md');
