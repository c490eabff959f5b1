#!/usr/bin/env node
// The `nexus` entry point. `--version` answers before anything else loads, so it costs little
// more than starting node; everything else loads the command tree on demand.
import { readFileSync } from 'node:fs';
import * as nodeModule from 'node:module';

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
  // Node 22.1 and later keep the code they compile between runs (NODE_COMPILE_CACHE picks the
  // folder): most of a command's start is compiling the host. Node 20 has no such cache.
  (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  const { runCli } = await import('./program.js');
  const code = await runCli(argv, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  });
  process.exitCode = code;
  // The command is done. Exiting naturally lets output flush; if a plugin left a timer or socket
  // behind (a hung check, say), this ends the process anyway once output has had its chance.
  setTimeout(() => process.exit(code), 2000).unref();
}
