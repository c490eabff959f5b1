#!/usr/bin/env node
// Builds the host (src → dist), copies built-in plugin manifests beside their code, and builds
// the example plugins. Runs as `prepare`, so `npm ci` leaves a runnable `nexus`.
//
// The host's JavaScript is bundled (esbuild, ESM, code splitting): Node 20 pays about a
// millisecond per ES module it resolves and loads, and the unbundled host with kysely, jose and
// the generated protobuf code was several hundred files, most of `nexus serve`'s start-up time.
// Each public module (the CLI, the contracts, the kernel, the testing kit, every built-in
// plugin's entry) is an entry point; what they share sits once in dist/chunks, so a plugin that
// imports `@nexus/plugin-sdk` gets the very module instances the kernel uses. tsc still checks
// the types and writes the declaration files.
import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(join(root, 'package.json'));

let tsc;
let esbuild;
try {
  tsc = require.resolve('typescript/bin/tsc');
  esbuild = require('esbuild');
} catch {
  // `npm ci --omit=dev` installs no compiler; an already-built dist still runs.
  console.warn(existsSync(join(root, 'dist/cli/main.js'))
    ? 'build: typescript or esbuild is not installed (dev dependencies omitted); keeping the existing dist/'
    : 'build: typescript or esbuild is not installed (dev dependencies omitted), so dist/ was not built; run `npm ci` without --omit=dev');
  process.exit(0);
}

/**
 * Packages left to Node's own loader instead of being bundled:
 * - native addons, and packages that read files beside their own code at run time
 *   (grpc-js's package.json, the .proto files of @grpc/reflection);
 * - large libraries only some configurations load, on first use (the LLM SDKs, pg, jiti).
 * Libraries the host loads through `createRequire` (yaml, pino, ajv) are not seen by the
 * bundler and stay external as well.
 */
const EXTERNAL = [
  // Telegram's grammY: loaded only when an account is configured; bundled it made a 1 MB plugin entry.
  'grammy',
  '@grammyjs/*',
  // The SDK is its own package, built first; the host and every plugin share its one copy.
  '@nexus/plugin-sdk',
  '@nexus/plugin-sdk/*',
  'better-sqlite3',
  'better-sqlite3-napi',
  '@grpc/*',
  'grpc-health-check',
  'jiti',
  'pg',
  'pg-*',
  '@anthropic-ai/sdk',
  'openai',
  // The Slack and Discord channels' platform libraries: loaded only when an account is
  // configured, and bundled they would ship a second copy (about 8 MB) beside node_modules.
  '@slack/*',
  '@discordjs/*',
  'undici',
];

const builtins = join(root, 'src/builtin-plugins');
const builtinNames = existsSync(builtins) ? readdirSync(builtins).filter((name) => existsSync(join(builtins, name, 'nexus.plugin.json'))) : [];

/** Every module another package or a test may import by path. */
const entryPoints = [
  'src/cli/main.ts',
  'src/kernel/index.ts',
  'src/kernel/testing/index.ts',
  'src/testing/index.ts',
  'src/kernel/load/shared-module-hooks.ts',
  ...builtinNames.map((name) => `src/builtin-plugins/${name}/index.ts`),
  // Modules the benchmarks drive directly (bench/benchmarks/provider-wrapper.mjs, storage-modules.mjs).
  'src/builtin-plugins/agent/llm/index.ts',
  // The agent's tool-call path, for bench/benchmarks/tool-before-hook.mjs.
  'src/builtin-plugins/agent/tools/index.ts',
  'src/builtin-plugins/openai/openai-provider.ts',
  'src/builtin-plugins/storage-sqlite/sqlite-backend.ts',
  'src/builtin-plugins/storage-postgres/postgres-backend.ts',
  // The metrics plugin's own counter and histogram, for their benchmark against prom-client's (bench/benchmarks/library-choices.mjs).
  'src/builtin-plugins/metrics/labelled-counter.ts',
  'src/builtin-plugins/metrics/labelled-histogram.ts',
  // The MCP and cron engines, for their benchmarks (bench/benchmarks) and scripts/mcp-conformance.mjs.
  'src/builtin-plugins/mcp/engine.ts',
  'src/builtin-plugins/cron/engine.ts',
  // The generated gRPC clients, for scripts and benchmarks that talk to a running gateway.
  ...readdirSync(join(builtins, 'gateway/generated/nexus/v1')).filter((file) => file.endsWith('.ts')).map((file) => `src/builtin-plugins/gateway/generated/nexus/v1/${file}`),
];

execFileSync(process.execPath, [join(root, 'plugin-sdk/build.mjs')], { cwd: root, stdio: 'inherit' });
// `nexus` resolves to this package from the SDK's folder, as it does where both are installed
// from npm: the SDK's testing kit loads the host by that name.
const selfLink = join(root, 'node_modules', 'nexus');
if (!existsSync(selfLink)) symlinkSync('..', selfLink, 'dir');

rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
await esbuild.build({
  absWorkingDir: root,
  entryPoints,
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  tsconfig: 'tsconfig.build.json',
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  external: EXTERNAL,
  // Bundled CommonJS calls `require` for Node's built-ins; ES modules have none of their own.
  banner: { js: "import { createRequire as __nexusCreateRequire } from 'node:module'; const require = __nexusCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
asciiOnly(join(root, 'dist'));
asciiOnly(join(root, 'plugin-sdk/dist'));

for (const name of builtinNames) {
  cpSync(join(builtins, name, 'nexus.plugin.json'), join(root, 'dist/builtin-plugins', name, 'nexus.plugin.json'));
}
chmodSync(join(root, 'dist/cli/main.js'), 0o755);
// When this build was made: the end-to-end tests compare it with the sources' times.
writeFileSync(join(root, 'dist/.built'), `${new Date().toISOString()}\n`);

const examples = join(root, 'examples/plugins');
for (const name of readdirSync(examples)) {
  if (existsSync(join(examples, name, 'tsconfig.json'))) execFileSync(process.execPath, [tsc, '-p', join('examples/plugins', name, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
}

/**
 * Leaves the built JavaScript under `dir` pure ASCII. esbuild escapes strings and identifiers but
 * keeps comments (and regular expressions) as written, and one `→` in a comment makes V8 hold the
 * whole file as a two-byte string: twice the memory, decoded from UTF-8 first, for the largest
 * chunks `nexus serve` compiles before it is ready. `\uXXXX` means the same character in a
 * regular expression and reads the same in a comment.
 */
function asciiOnly(dir) {
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const file = join(entry.parentPath, entry.name);
    const text = readFileSync(file, 'utf8');
    // eslint-disable-next-line no-control-regex -- everything past ASCII, code unit by code unit
    if (/[^\x00-\x7f]/.test(text)) writeFileSync(file, text.replace(/[^\x00-\x7f]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`));
  }
}
