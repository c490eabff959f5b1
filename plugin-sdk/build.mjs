#!/usr/bin/env node
// Builds @nexus/plugin-sdk on its own: bundled ES modules (esbuild, code splitting, so the entry
// points share one copy of every module, inversify included) and declaration files (tsc) whose
// imports stay inside this package. The host depends on this build; nothing here imports the host
// except the testing kit, which loads it on first use.
import { copyFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const sdk = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(sdk, 'package.json'));
const tsc = require.resolve('typescript/bin/tsc');
const esbuild = require('esbuild');

/** Each public subpath, plus the shared copies the host's loader hands to plugins. */
const entryPoints = [
  'src/index.ts',
  ...['provider', 'storage', 'storage-sql', 'channel', 'prompt', 'testing'].map((kit) => `src/${kit}/index.ts`),
  ...readdirSync(join(sdk, 'src/shared')).map((file) => `src/shared/${file}`),
];

rmSync(join(sdk, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(sdk, 'tsconfig.build.json')], { cwd: sdk, stdio: 'inherit' });
await esbuild.build({
  absWorkingDir: sdk,
  entryPoints,
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  // The testing kit runs plugins in the host, which it finds as the `nexus` package.
  external: ['nexus', 'nexus/*'],
  banner: { js: "import { createRequire as __sdkCreateRequire } from 'node:module'; const require = __sdkCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
// The manifest schema travels with the SDK, so `"$schema"` in nexus.plugin.json works offline.
const schema = join(sdk, '..', 'schemas', 'plugin-manifest.schema.json');
if (existsSync(schema)) copyFileSync(schema, join(sdk, 'manifest.schema.json'));
