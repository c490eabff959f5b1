import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, verifyPluginContract } from '@nexus/plugin-sdk/testing';
import { requireFreshBuild } from '../e2e/harness/build-check.js';

/**
 * The guide's plugins as the guide writes them: every listing headed "File: `acme-<name>/…`"
 * (the walkthrough's greeter, §8's welcome, §9's motd, §14's inbox) is extracted into a folder of
 * its own, the walkthrough plugin is loaded by the host, and the guide's own test listings are
 * run against them with vitest, so a listing that drifts from the API fails here.
 */
const repoRoot = join(import.meta.dirname, '../..');
const guide = readFileSync(join(repoRoot, 'docs/plugin-authoring.md'), 'utf8');

/** Every `File: \`<folder>/<path>\`` header of the guide with the fenced block that follows it. */
export function listingsOf(markdown: string, folder: string): Map<string, string> {
  const files = new Map<string, string>();
  const header = /^File: `([^`]+)`[^\n]*(?:\n(?!```)[^\n]*)*\n+```[a-z]*\n([\s\S]*?)\n```$/gm;
  for (const [, path, body] of markdown.matchAll(header)) {
    if (!path!.startsWith(`${folder}/`)) continue;
    if (files.has(path!)) throw new Error(`docs/plugin-authoring.md has two listings for ${path}`);
    files.set(path!.slice(folder.length + 1), `${body}\n`);
  }
  return files;
}

/** §2's `package.json`, introduced by prose rather than a File: header. */
function packageJsonOf(markdown: string): string {
  const found = /The resulting `package\.json`[^\n]*\n+```json\n([\s\S]*?)\n```/.exec(markdown);
  if (!found) throw new Error('docs/plugin-authoring.md: the listing after "The resulting `package.json`" is gone');
  return `${found[1]}\n`;
}

/** Links a package of this checkout into the extracted plugins' node_modules, as an install would. */
function link(name: string, target: string): void {
  const at = join(root, 'node_modules', name);
  mkdirSync(dirname(at), { recursive: true });
  symlinkSync(realpathSync(target), at, 'dir');
}

const PLUGINS = ['acme-greeter', 'acme-welcome', 'acme-motd', 'acme-inbox'];
let root: string;
let plugin: string;

beforeAll(() => {
  requireFreshBuild();
  root = mkdtempSync(join(tmpdir(), 'nexus-guide-'));
  plugin = join(root, 'acme-greeter');
  for (const folder of PLUGINS) {
    for (const [path, text] of listingsOf(guide, folder)) {
      mkdirSync(dirname(join(root, folder, path)), { recursive: true });
      writeFileSync(join(root, folder, path), text);
    }
  }
  writeFileSync(join(plugin, 'package.json'), packageJsonOf(guide));
  link('@nexus/plugin-sdk', join(repoRoot, 'node_modules/@nexus/plugin-sdk'));
  link('nexus', repoRoot);
  link('vitest', join(repoRoot, 'node_modules/vitest'));
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('docs/plugin-authoring.md, its plugins as listed', () => {
  it('has every file of its plugins, tests included, as a listing', () => {
    expect([...listingsOf(guide, 'acme-greeter').keys()].sort()).toEqual(['nexus.plugin.json', 'src/index.ts', 'test/greeter.test.ts', 'tsconfig.json']);
    expect([...listingsOf(guide, 'acme-welcome').keys()].sort()).toEqual(['nexus.plugin.json', 'src/index.ts', 'test/welcome.test.ts']);
    expect([...listingsOf(guide, 'acme-motd').keys()].sort()).toEqual(['nexus.plugin.json', 'src/index.ts', 'test/motd.test.ts']);
    expect([...listingsOf(guide, 'acme-inbox').keys()].sort()).toEqual([
      'nexus.plugin.json',
      'src/inbox-channel.ts',
      'src/inbox-route.ts',
      'src/index.ts',
      'src/local-time-tool.ts',
      'test/inbox.test.ts',
    ]);
  });

  it('is a plugin that honours its manifest and whose tool answers in a running host', async () => {
    const report = await verifyPluginContract({ plugin });
    expect(report).toMatchObject({ pluginId: 'greeter', problems: [] });
    await using host = await startTestHost({ plugin, config: { greeting: 'Hi' } });
    expect(await host.callTool('greet', { name: 'Ada' })).toEqual({ content: 'Hi, Ada.' });
  });

  // Four test files, each starting hosts, in a vitest of their own: more than the default 30 s on a busy machine.
  it("passes the guide's own test listings, run with vitest in the extracted folders", { timeout: 180_000 }, async () => {
    // The listings import the SDK and `nexus` from node_modules; keeping the links'
    // paths makes vitest leave them to Node (as installed packages), so the test, the host and
    // the plugin share the one SDK, as they do for an author.
    writeFileSync(join(root, 'vitest.config.mjs'), 'export default { resolve: { preserveSymlinks: true } };\n');
    const run = await promisify(execFile)(
      process.execPath,
      [join(repoRoot, 'node_modules/vitest/vitest.mjs'), 'run', '--root', root, '--config', join(root, 'vitest.config.mjs'), '--reporter', 'json'],
      { cwd: root, env: { ...process.env, CI: 'true' }, maxBuffer: 16 * 1024 * 1024, timeout: 170_000 },
    ).catch((error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`the guide's test listings failed:\n${error.stdout ?? ''}\n${error.stderr ?? error.message}`);
    });
    const report = JSON.parse(run.stdout) as { numTotalTests: number; numPassedTests: number; testResults: { name: string }[] };
    const tests = ['acme-greeter/test/greeter.test.ts', 'acme-inbox/test/inbox.test.ts', 'acme-motd/test/motd.test.ts', 'acme-welcome/test/welcome.test.ts'];
    expect(report.testResults.map((r) => r.name).sort()).toEqual(tests.map((file) => join(root, file)));
    expect(report.numPassedTests).toBe(report.numTotalTests);
    expect(report.numTotalTests).toBe(14);
  });
});
