#!/usr/bin/env node
// The `nexus` entry point. `--version` answers before anything else loads, and a help from the
// help cache nearly so, so both cost little more than starting node; everything else loads the
// command tree on demand.
import { readFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import type { CliIo } from './cli-context.js';

// A closed pipe (`nexus --help | head -1`) is a normal way for output to end, not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  process.stdout.write(`${pkg.version}\n`);
} else {
  const io: CliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  };
  // A help is answered from the cache when the config, the manifests and the build are as they
  // were when it was made: then neither the kernel nor the command tree loads (src/cli/help-cache).
  // The words first, so that other commands do not even load the cache's module; it checks the
  // exact shape itself.
  const mayBeHelp = argv.length === 0 || argv.some((word) => word === '--help' || word === '-h' || word === 'help');
  const helpCache = mayBeHelp ? await import('./help-cache/index.js') : undefined;
  const isHelp = helpCache?.isHelpRequest(argv) === true;
  const key = { argv, env: io.env, cwd: io.cwd };
  const cached = isHelp ? helpCache?.cachedHelp(key) : undefined;
  if (cached) {
    if (cached.stdout !== '') io.stdout(cached.stdout);
    if (cached.stderr !== '') io.stderr(cached.stderr);
    process.exitCode = cached.code;
  } else {
    // Node 22.1 and later keep the code they compile between runs (NODE_COMPILE_CACHE picks the
    // folder): most of a command's start is compiling the host. Node 20 has no such cache.
    (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
    const { runCli } = await import('./program.js');
    const recorder = isHelp && helpCache ? new helpCache.HelpRecorder(key, io) : undefined;
    const code = await runCli(argv, recorder?.watchedIo ?? io, recorder?.observer);
    recorder?.finish(code);
    process.exitCode = code;
    // The command is done. Exiting naturally lets output flush; if a plugin left a timer or socket
    // behind (a hung check, say), this ends the process anyway once output has had its chance.
    setTimeout(() => process.exit(code), 2000).unref();
  }
}
