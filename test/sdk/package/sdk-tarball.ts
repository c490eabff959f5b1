import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const repo = join(import.meta.dirname, '../../..');
const sdk = join(repo, 'plugin-sdk');

/** npm with no lifecycle scripts, no audit and no prompts: how every test here calls it. */
export function npm(args: readonly string[], cwd: string): string {
  return execFileSync('npm', [...args, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * The SDK as `npm pack` makes it from the current build, packed once per build: test files share
 * it through a folder named after the build's time, so a run packs at most once.
 */
export function sdkTarball(): string {
  const built = join(sdk, 'dist/index.d.ts');
  if (!existsSync(built)) throw new Error('plugin-sdk/dist is missing: run `npm run build` before these tests');
  const cache = join(repo, 'test/.tmp-sdk-pack', String(Math.trunc(statSync(built).mtimeMs)));
  const packed = existsSync(cache) ? readdirSync(cache).find((name) => name.endsWith('.tgz')) : undefined;
  if (packed) return join(cache, packed);
  rmSync(join(repo, 'test/.tmp-sdk-pack'), { recursive: true, force: true });
  // Pack into a private folder and rename it in, so a concurrent reader never sees half a file.
  const staging = `${cache}.${process.pid}`;
  mkdirSync(staging, { recursive: true });
  const [{ filename }] = JSON.parse(npm(['pack', '--json', '--pack-destination', staging], sdk)) as [{ filename: string }];
  try {
    renameSync(staging, cache);
  } catch {
    // Another test file won the race; its tarball is the same build.
  }
  return join(existsSync(join(cache, filename)) ? cache : staging, filename);
}
