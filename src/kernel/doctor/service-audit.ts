import { readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, delimiter, isAbsolute, join } from 'node:path';
import { writeAtomically } from '../host/index.js';
import { launchAgentsDir, SERVICE_MARKER, systemdUserDir } from '../service/index.js';
import type { DoctorReportFinding } from './doctor-result.js';

export interface ServiceUnitLocation {
  readonly kind: 'systemd user unit' | 'systemd system unit' | 'launchd agent';
  readonly path: string;
}

/**
 * Where a Nexus service unit is conventionally installed, per platform and scope, with the
 * per-profile units `nexus service install --profile` writes (nexus-<profile>.service,
 * dev.nexus.gateway.<profile>.plist).
 */
export function defaultServiceLocations(env: NodeJS.ProcessEnv = process.env, home = homedir()): ServiceUnitLocation[] {
  const userDir = systemdUserDir(env, home);
  const agents = launchAgentsDir(home);
  const named = (dir: string, pattern: RegExp) => {
    try {
      return readdirSync(dir).filter((name) => pattern.test(name)).sort();
    } catch {
      return [];
    }
  };
  return [
    { kind: 'systemd user unit', path: join(userDir, 'nexus.service') },
    ...named(userDir, /^nexus-[^/]+\.service$/).map((name) => ({ kind: 'systemd user unit' as const, path: join(userDir, name) })),
    { kind: 'systemd system unit', path: '/etc/systemd/system/nexus.service' },
    { kind: 'launchd agent', path: join(agents, 'dev.nexus.gateway.plist') },
    ...named(agents, /^dev\.nexus\.gateway\..+\.plist$/).map((name) => ({ kind: 'launchd agent' as const, path: join(agents, name) })),
  ];
}

/** The node binary and CLI script a repaired unit should run. */
export interface CurrentInstall {
  readonly nodePath: string;
  readonly cliPath: string;
}

/**
 * `doctor --audit --repair`: a unit written by `nexus service install` whose node binary or CLI
 * script no longer exists (a node upgrade, a moved checkout) is rewritten to run the current
 * ones, keeping its arguments. Units written by hand are only reported, never touched.
 */
export function repairServiceUnits(locations: readonly ServiceUnitLocation[], current: CurrentInstall, home = homedir()): DoctorReportFinding[] {
  const findings: DoctorReportFinding[] = [];
  for (const location of locations) {
    if (location.kind === 'systemd system unit') continue;
    let text: string;
    try {
      text = readFileSync(location.path, 'utf8');
    } catch {
      continue;
    }
    const argv = location.kind === 'launchd agent' ? plistArguments(text) : execStart(text, home);
    if (!argv || argv.length < 2) continue;
    const [node, cli] = argv as [string, string];
    const staleNode = !isFile(node) && node !== current.nodePath;
    const staleCli = !isFile(cli) && cli !== current.cliPath;
    if (!staleNode && !staleCli) continue;
    if (!text.includes(SERVICE_MARKER)) {
      findings.push({ level: 'warning', code: 'audit.service-not-ours', message: `${location.path} is stale but was not written by \`nexus service install\`; left as it is`, hint: 'fix it by hand, or remove it and run `nexus service install`' });
      continue;
    }
    let repaired = text;
    if (staleNode) repaired = repaired.split(node).join(current.nodePath);
    if (staleCli) repaired = repaired.split(cli).join(current.cliPath);
    writeAtomically(location.path, repaired);
    const what = [staleNode ? `node ${node} → ${current.nodePath}` : '', staleCli ? `CLI ${cli} → ${current.cliPath}` : ''].filter(Boolean).join(', ');
    findings.push({
      level: 'info',
      code: 'audit.service-repaired',
      message: `rewrote the ${location.kind} ${location.path}: ${what}`,
      hint: 'run `nexus service restart` (it reloads the unit) to run the repaired unit',
    });
  }
  return findings;
}

/**
 * Which service units are installed, and whether what each runs still exists: the executable
 * (found on PATH when not absolute), the script when it runs node, and a `--config` file.
 */
export function auditServiceUnits(locations: readonly ServiceUnitLocation[], env: NodeJS.ProcessEnv = process.env, home = homedir()): DoctorReportFinding[] {
  const findings: DoctorReportFinding[] = [];
  for (const location of locations) {
    let text: string;
    try {
      text = readFileSync(location.path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        findings.push({ level: 'warning', code: 'audit.service-unreadable', message: `cannot read the ${location.kind} ${location.path}: ${code ?? (error as Error).message}` });
      }
      continue;
    }
    const argv = location.kind === 'launchd agent' ? plistArguments(text) : execStart(text, home);
    if (!argv || argv.length === 0) {
      findings.push({
        level: 'error',
        code: 'audit.service-no-command',
        message: `the ${location.kind} ${location.path} names no command to run`,
        hint: location.kind === 'launchd agent' ? 'add ProgramArguments, or reinstall the service' : 'add ExecStart=, or reinstall the service',
      });
      continue;
    }
    findings.push(...checkCommand(location, argv, env));
  }
  if (findings.length === 0) {
    return [{ level: 'info', message: `no Nexus service is installed (looked for ${locations.map((l) => l.path).join(', ')})` }];
  }
  return findings;
}

function checkCommand(location: ServiceUnitLocation, argv: readonly string[], env: NodeJS.ProcessEnv): DoctorReportFinding[] {
  const field = location.kind === 'launchd agent' ? 'ProgramArguments' : 'ExecStart';
  const fix = `fix ${field} in ${location.path}, or reinstall the service`;
  const [command, ...args] = argv as [string, ...string[]];
  const executable = isAbsolute(command) ? (isFile(command) ? command : undefined) : onPath(command, env);
  if (!executable) {
    return [
      {
        level: 'error',
        code: 'audit.service-broken',
        message: `the ${location.kind} ${location.path} runs ${command}, which ${isAbsolute(command) ? 'does not exist' : 'is not on PATH'}`,
        hint: fix,
      },
    ];
  }
  const findings: DoctorReportFinding[] = [];
  const script = /^node(js)?(\.exe)?$/.test(basename(executable)) ? args.find((a) => !a.startsWith('-')) : undefined;
  if (script !== undefined && !isFile(script)) {
    findings.push({ level: 'error', code: 'audit.service-broken', message: `the ${location.kind} ${location.path} runs node ${script}, which does not exist`, hint: fix });
  }
  const configIndex = args.findIndex((a) => a === '--config' || a === '-c' || a.startsWith('--config='));
  const config = configIndex < 0 ? undefined : args[configIndex]!.startsWith('--config=') ? args[configIndex]!.slice(9) : args[configIndex + 1];
  if (config !== undefined && !isFile(config)) {
    findings.push({ level: 'warning', code: 'audit.service-config-missing', message: `the ${location.kind} ${location.path} passes --config ${config}, which does not exist`, hint: fix });
  }
  if (findings.length === 0) findings.push({ level: 'info', message: `${location.kind} installed: ${location.path} runs ${[executable, ...args.slice(0, 1)].join(' ')}` });
  return findings;
}

/** The last non-empty `ExecStart=` of a systemd unit, split into words; `%h` is the home folder. */
function execStart(text: string, home: string): string[] | undefined {
  let value: string | undefined;
  for (const line of text.split('\n')) {
    const match = /^\s*ExecStart\s*=\s*(.*)$/.exec(line);
    if (match) value = match[1]!.trim() === '' ? undefined : match[1]!.trim();
  }
  if (value === undefined) return undefined;
  // Prefixes such as "-" (ignore failure) and "@" (argv0) change how it runs, not what.
  return splitWords(value.replace(/^[-@:+!]+/, '')).map((word) => word.replace(/%h/g, home));
}

/** `Program`, else the first of `ProgramArguments`, and the arguments after it. */
function plistArguments(text: string): string[] | undefined {
  const strings = (xml: string) => [...xml.matchAll(/<string>([\s\S]*?)<\/string>/g)].map((m) => unescapeXml(m[1]!.trim()));
  const list = /<key>\s*ProgramArguments\s*<\/key>\s*<array>([\s\S]*?)<\/array>/.exec(text);
  const program = /<key>\s*Program\s*<\/key>\s*<string>([\s\S]*?)<\/string>/.exec(text);
  const args = list ? strings(list[1]!) : [];
  if (program) return [unescapeXml(program[1]!.trim()), ...args.slice(1)];
  return list ? args : undefined;
}

function splitWords(value: string): string[] {
  const words: string[] = [];
  for (const match of value.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) words.push(match[1] ?? match[2] ?? match[3]!);
  return words;
}

function unescapeXml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

function onPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  if (command.includes('/')) return undefined;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && isFile(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() === true;
}
