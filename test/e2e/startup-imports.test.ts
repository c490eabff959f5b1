import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliMain, nexusInstance } from './serve-harness.js';

/**
 * What `nexus serve` loads before it answers, recorded in the child by a preloaded module hook.
 * Not a timing: a cold start is mostly compiling code, so these name the code that must not be
 * there. A plugin that is installed but not configured costs nothing (its entry is not even
 * imported), the libraries of the channels, MCP and the LLM providers load on first need, and no
 * library is bundled twice (once in the host's dist/ and again in the SDK's).
 */
const recorder = pathToFileURL(join(import.meta.dirname, 'fixtures/module-recorder/record-modules.mjs'));
const buildRoot = join(dirname(cliMain), '../..');

/** The plugins `serve` runs at start: the gRPC API and the HTTP server it requires, the database, and cron's light entry (its migrations, and the scheduler's start once ready). */
const STARTUP_PLUGINS = ['cron', 'gateway', 'http', 'storage-sqlite'];

/** Libraries only a configured plugin or a first request needs, whether bundled or left to Node. */
const ON_FIRST_NEED = ['grammy', '@grammyjs/', '@slack/', '@discordjs/', '@modelcontextprotocol/sdk', 'openai', '@anthropic-ai/sdk', 'pg', 'jiti', 'sqlite-vec', 'undici'];

/** `name` or `@scope/name` of a path inside node_modules. */
function packageOf(path: string): string | undefined {
  const inside = path.split('node_modules/').at(-1);
  if (inside === undefined || inside === path) return undefined;
  const parts = inside.split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

/** The packages bundled into a built file, from its source map. */
function bundledPackages(file: string): Set<string> {
  const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
  return new Set(map.sources.map(packageOf).filter((name): name is string => name !== undefined));
}

// eslint-disable-next-line no-control-regex -- everything past ASCII
const NOT_ASCII = /[^\x00-\x7f]/;

const isNamed = (name: string) => (library: string) => (library.endsWith('/') ? name.startsWith(library) : name === library);

/** What one `nexus serve` loaded by the time it printed its addresses (the gateway is open then). */
async function loadedBeforeReady(config: Record<string, unknown>) {
  const nexus = nexusInstance(config);
  const log = join(nexus.dir, 'modules.log');
  const server = await nexus.serve(['--import', `${recorder.href}?log=${encodeURIComponent(log)}`]);
  const loaded = [...new Set(readFileSync(log, 'utf8').split('\n').filter((line) => line !== ''))];
  await server.stop();
  // The recorder saw the start: the CLI and grpc-js (left to Node) are there.
  expect(loaded).toContain(cliMain);
  expect(loaded.some((path) => packageOf(path) === '@grpc/grpc-js')).toBe(true);

  const plugins = loaded.flatMap((path) => /\/dist\/builtin-plugins\/([^/]+)\/index\.js$/.exec(path)?.[1] ?? []).sort();
  const built = loaded.filter((path) => path.endsWith('.js') && !path.includes('/node_modules/') && (path.startsWith(join(buildRoot, 'dist')) || path.includes('/plugin-sdk/dist/')));
  const inHost = new Set<string>();
  const inSdk = new Set<string>();
  for (const file of built) for (const name of bundledPackages(file)) (file.includes('/plugin-sdk/dist/') ? inSdk : inHost).add(name);
  const leftToNode = new Set(loaded.map(packageOf).filter((name): name is string => name !== undefined));
  const libraries = [...new Set([...inHost, ...inSdk, ...leftToNode])];
  return {
    plugins,
    /** Libraries of ON_FIRST_NEED that were loaded, bundled or not. */
    early: libraries.filter((name) => ON_FIRST_NEED.some(isNamed(name))),
    /** Libraries bundled both into the host's dist/ and into the SDK's: two copies to compile. */
    twice: [...inHost].filter((name) => inSdk.has(name)),
    /** Built files that are not pure ASCII, which V8 would hold as two-byte strings (scripts/build.mjs escapes them). */
    notAscii: built.filter((file) => NOT_ASCII.test(readFileSync(file, 'utf8'))),
  };
}

describe('e2e: what nexus serve loads before it answers', { timeout: 60_000 }, () => {
  it('with the default config: only the plugins it runs, no library of an unconfigured plugin, one copy of each bundled library', async () => {
    const { plugins, early, twice, notAscii } = await loadedBeforeReady({});
    expect(plugins, 'plugin entries imported at start: a plugin that is installed but not configured must not be imported').toEqual(STARTUP_PLUGINS);
    expect(early, 'libraries that load on first need were imported at start').toEqual([]);
    expect(twice, 'bundled in both dist/ and plugin-sdk/dist/: import it through the SDK (as storage-sqlite takes Kysely from @nexus/plugin-sdk/storage-sql)').toEqual([]);
    expect(notAscii).toEqual([]);
  });

  it('with lazy MCP servers configured: the mcp plugin\'s light entry, and not the MCP SDK', async () => {
    const server = { command: process.execPath, args: ['never-started.mjs'], start: 'lazy' };
    const { plugins, early, twice } = await loadedBeforeReady({ mcp: { servers: { one: server, two: server } } });
    expect(plugins).toEqual([...STARTUP_PLUGINS, 'mcp'].sort());
    expect(early).toEqual([]);
    expect(twice).toEqual([]);
  });
});
