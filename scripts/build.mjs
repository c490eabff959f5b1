#!/usr/bin/env node
// Builds the host (src → dist), copies built-in plugin manifests beside their code, and builds
// the example plugins. Runs as `prepare`, so `npm ci` leaves a runnable `nexus`.
import { chmodSync, cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(join(root, 'package.json'));

let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc');
} catch {
  // `npm ci --omit=dev` installs no compiler; an already-built dist still runs.
  console.warn(existsSync(join(root, 'dist/cli/main.js'))
    ? 'build: typescript is not installed (dev dependencies omitted); keeping the existing dist/'
    : 'build: typescript is not installed (dev dependencies omitted), so dist/ was not built; run `npm ci` without --omit=dev');
  process.exit(0);
}

const run = (project) => execFileSync(process.execPath, [tsc, '-p', project], { cwd: root, stdio: 'inherit' });

rmSync(join(root, 'dist'), { recursive: true, force: true });
run('tsconfig.build.json');

const builtins = join(root, 'src/builtin-plugins');
for (const name of existsSync(builtins) ? readdirSync(builtins) : []) {
  const manifest = join(builtins, name, 'nexus.plugin.json');
  if (existsSync(manifest)) cpSync(manifest, join(root, 'dist/builtin-plugins', name, 'nexus.plugin.json'));
}
chmodSync(join(root, 'dist/cli/main.js'), 0o755);

const examples = join(root, 'examples/plugins');
for (const name of readdirSync(examples)) {
  if (existsSync(join(examples, name, 'tsconfig.json'))) run(join('examples/plugins', name, 'tsconfig.json'));
}
