// `node --import <this file>?out=<path> …`: writes to <path>, one a line, every module the
// process loads: each ESM load (through a loader hook, which also sees CommonJS packages that
// ESM imports) and, at exit, every CommonJS module in require's cache (which holds what those
// packages required in turn). A benchmark reads the list to prove a library was never loaded.
import { appendFileSync, writeFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const out = new URL(import.meta.url).searchParams.get('out');
if (!out) throw new Error('module-probe: give the output file as ?out=<path> on the --import URL');
writeFileSync(out, '');
register('./module-probe-hooks.mjs', import.meta.url, { data: { out } });
const require = createRequire(import.meta.url);
process.on('exit', () => appendFileSync(out, `${Object.keys(require.cache).join('\n')}\n`));
