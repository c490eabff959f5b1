import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { hostPaths } from '../../kernel/index.js';

/** The `@nexus/plugin-sdk` this host hands to every plugin at run time: its folder and version. */
export function hostSdk(): { readonly dir: string; readonly version: string } {
  const manifest = createRequire(hostPaths.packageJson).resolve('@nexus/plugin-sdk/package.json');
  return { dir: dirname(manifest), version: (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version };
}
