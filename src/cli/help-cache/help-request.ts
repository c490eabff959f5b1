import { scanGlobals } from '../command-line/scan-globals.js';

/**
 * Whether `argv` asks for a help: `nexus`, `nexus --help`, `nexus help [command…]` or
 * `nexus <command…> --help`, global options allowed anywhere. Only these may be answered from
 * the help cache, and only these are recorded into it (and then only when what printed was a
 * help and nothing else: see HelpRecorder). Anything else goes straight to the command line.
 */
export function isHelpRequest(argv: readonly string[]): boolean {
  const { firstWord } = scanGlobals(argv);
  if (firstWord === 'help') return true;
  const words = withoutGlobals(argv);
  if (words.length === 0) return true;
  const end = words.indexOf('--');
  const flags = end === -1 ? words : words.slice(0, end);
  // Only plain command words before the flag: `nexus chat --model x --help` runs the full parse.
  return flags.length > 0 && (flags.at(-1) === '--help' || flags.at(-1) === '-h') && flags.slice(0, -1).every((word) => !word.startsWith('-'));
}

const VALUED = new Set(['-c', '--config', '-p', '--profile', '--log-level']);

/** `argv` without the global options and their values (as scanGlobals reads them). */
function withoutGlobals(argv: readonly string[]): string[] {
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (VALUED.has(arg)) i++;
    else if (!/^--(config|profile|log-level)=/.test(arg) && !/^-[cp]./.test(arg)) rest.push(arg);
  }
  return rest;
}
