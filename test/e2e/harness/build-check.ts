import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const repoRoot = join(import.meta.dirname, '../../..');

/**
 * The package root whose `dist/` is under test: the repository, or `NEXUS_E2E_ROOT`, a build
 * made elsewhere (with node_modules and schemas beside its dist/), for running these tests while
 * others rebuild the shared dist/. That build is taken as chosen: only its presence is checked.
 */
const chosenRoot = process.env.NEXUS_E2E_ROOT && process.env.NEXUS_E2E_ROOT !== '' ? process.env.NEXUS_E2E_ROOT : undefined;
const buildRoot = chosenRoot ?? repoRoot;
export const cliMain = join(buildRoot, 'dist/cli/main.js');

/**
 * Throws unless `dist/` holds a build at least as new as every source file it is built from:
 * testing yesterday's code would prove nothing. The build is bundled, so there is no `.js` per
 * source; it stamps `dist/.built` when it finishes, and every `src/**.ts` and manifest must be
 * older than that stamp (a file added since the build counts too).
 */
export function requireFreshBuild(): void {
  if (!existsSync(cliMain)) {
    throw new Error(`the end-to-end tests run the built CLI, and ${cliMain} does not exist: run \`npm run build\` first`);
  }
  if (chosenRoot) return;
  const built = statSync(join(buildRoot, 'dist', '.built'), { throwIfNoEntry: false });
  if (!built) throw new Error(`dist/ has no build stamp (dist/.built), so it was not made by \`npm run build\`: run it before the end-to-end tests`);
  const stale: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (isBuildInput(entry.name) && statSync(path).mtimeMs > built.mtimeMs) stale.push(relative(repoRoot, path));
    }
  };
  walk(join(repoRoot, 'src'));
  if (stale.length > 0) {
    const shown = stale.slice(0, 5).join(', ') + (stale.length > 5 ? ` and ${stale.length - 5} more` : '');
    throw new Error(`dist/ is older than the sources (${shown} changed after the last build): run \`npm run build\` before the end-to-end tests`);
  }
}

function isBuildInput(name: string): boolean {
  return name === 'nexus.plugin.json' || (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts'));
}
