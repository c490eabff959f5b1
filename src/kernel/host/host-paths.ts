import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Files that ship with the host package. This module sits at the same depth under `src/` and
 * `dist/`, so one relative path works from sources (tests) and from the build.
 */
const HOST_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export const hostPaths = {
  root: HOST_ROOT,
  manifestSchema: `${HOST_ROOT}schemas/plugin-manifest.schema.json`,
  configSchema: `${HOST_ROOT}schemas/config.schema.json`,
  packageJson: `${HOST_ROOT}package.json`,
  /** Built-in plugins live next to the kernel: `src/builtin-plugins` or `dist/builtin-plugins`. */
  builtinPlugins: fileURLToPath(new URL('../../builtin-plugins/', import.meta.url)),
} as const;

export function readHostVersion(): string {
  return (JSON.parse(readFileSync(hostPaths.packageJson, 'utf8')) as { version: string }).version;
}
