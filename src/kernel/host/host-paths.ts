import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Files that ship with the host package. The host's code runs from `src/` (tests) or from the
 * bundled `dist/` (whose chunks sit at other depths than the sources), so the root is the
 * nearest folder up with the host's package.json, and built-in plugins sit beside the code.
 */
function hostRoot(from: string): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'schemas', 'plugin-manifest.schema.json'))) return dir + sep;
    if (dirname(dir) === dir) throw new Error(`cannot find the Nexus package root above ${from}`);
  }
}

const HERE = fileURLToPath(import.meta.url);
const HOST_ROOT = hostRoot(HERE);
const CODE_DIR = HERE.startsWith(`${HOST_ROOT}src${sep}`) ? 'src' : 'dist';

export const hostPaths = {
  root: HOST_ROOT,
  manifestSchema: `${HOST_ROOT}schemas/plugin-manifest.schema.json`,
  configSchema: `${HOST_ROOT}schemas/config.schema.json`,
  packageJson: `${HOST_ROOT}package.json`,
  builtinPlugins: join(HOST_ROOT, CODE_DIR, 'builtin-plugins') + sep,
  /** Whether this is the bundled build (dist/) rather than the sources the tests run. */
  bundled: CODE_DIR === 'dist',
} as const;

export function readHostVersion(): string {
  return (JSON.parse(readFileSync(hostPaths.packageJson, 'utf8')) as { version: string }).version;
}
