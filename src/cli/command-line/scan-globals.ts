// Reading the global options ahead of the parse needs nothing but the words, so it lives apart
// from commander: the help cache (src/cli/help-cache) uses it before anything else is loaded.
import type { GlobalOptions } from '../cli-context.js';

const VALUED = new Map([
  ['-c', 'config'],
  ['--config', 'config'],
  ['-p', 'profile'],
  ['--profile', 'profile'],
  ['--log-level', 'logLevel'],
]);

/**
 * The global options and the first command word, read ahead of the parse: which plugins'
 * commands exist depends on the config, and so does the tree that parses the rest. The parse
 * that follows is the authority; `sameGlobals` tells whether this reading agreed with it.
 */
export function scanGlobals(argv: readonly string[]): { readonly globals: GlobalOptions; readonly firstWord: string | undefined } {
  const found: Record<string, string> = {};
  let firstWord: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : /^-[cp]./.test(arg) ? arg.slice(0, 2) : arg;
    const key = VALUED.get(flag);
    if (key !== undefined) {
      const value = flag !== arg ? arg.slice(eq > 0 ? eq + 1 : 2) : argv[++i];
      if (value !== undefined) found[key] = value;
    } else if (firstWord === undefined && !arg.startsWith('-')) {
      firstWord = arg;
    }
  }
  return { globals: { config: found.config, profile: found.profile, logLevel: found.logLevel as GlobalOptions['logLevel'], json: false }, firstWord };
}

/** Whether two readings of the global options pick the same config and log level. */
export function sameGlobals(a: GlobalOptions, b: GlobalOptions): boolean {
  return a.config === b.config && a.profile === b.profile && a.logLevel === b.logLevel;
}
