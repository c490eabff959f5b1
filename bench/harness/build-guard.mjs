// The working tree is shared: someone may run `npm run build` (which deletes dist/ first)
// while benchmarks run. A median must not mix two builds, nor a build half written, so each
// benchmark starts only once the build has been still for a while, and is rerun if the build
// changed under it. The fingerprint is every built file's path, mtime and size.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cliMain, contractsEntry, distDir, echoPluginDir, kernelEntry, repoRoot } from './paths.mjs';

const echoDist = join(echoPluginDir, 'dist');
/** What the benchmarks execute; without these there is nothing to measure. */
export const requiredFiles = [cliMain, kernelEntry, contractsEntry, join(echoDist, 'index.js')];

function walk(dir, into) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, into);
    else {
      const { mtimeMs, size } = statSync(path);
      into.push(`${relative(repoRoot, path)}:${mtimeMs}:${size}`);
    }
  }
  return into;
}

/** A digest of the build, or undefined while part of it is missing (being rebuilt). */
export function buildFingerprint() {
  try {
    if (!requiredFiles.every((file) => existsSync(file))) return undefined;
    const files = [...walk(distDir, []), ...walk(echoDist, [])].sort();
    return createHash('sha256').update(files.join('\n')).digest('hex');
  } catch {
    // A file vanished between listing and stat: a rebuild is under way.
    return undefined;
  }
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** Resolves with the fingerprint once the build has been complete and unchanged for `quietMs`. */
export async function waitForStableBuild({ quietMs = 3000, timeoutMs = 300_000, pollMs = 500 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = buildFingerprint();
  let stableSince = Date.now();
  let told = false;
  while (Date.now() < deadline) {
    if (last !== undefined && Date.now() - stableSince >= quietMs) return last;
    await sleep(pollMs);
    const now = buildFingerprint();
    if (now !== last) {
      if (!told) console.log('  dist/ is changing (a build is running?); waiting for it to settle');
      told = true;
      last = now;
      stableSince = Date.now();
    }
  }
  throw new Error(`dist/ did not settle within ${timeoutMs / 1000} s`);
}
