import { existsSync, mkdirSync, readdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { hostPaths, readHostVersion } from '../../kernel/index.js';
import { CliExit, EXIT, type CliIo } from '../cli-context.js';
import { hostSdk } from './host-sdk.js';
import { PLUGIN_KINDS, pluginNames, renderPlugin, type PluginKind, type ScaffoldSources } from './plugin-templates/index.js';

export interface PluginsNewOptions {
  readonly kind?: string;
  /** Where `@nexus/plugin-sdk` installs from: a tarball or folder path, or an npm spec. */
  readonly sdk?: string;
}

// An npm package name (lowercase, URL-safe, optionally scoped) that is also a valid plugin id
// (manifest schema: `^(?:[a-z0-9][a-z0-9-]*/)?[a-z][a-z0-9-]*$`, at most 100 characters).
const NAME = /^(?:@[a-z0-9][a-z0-9-]*\/)?[a-z][a-z0-9-]*$/;
const NAME_RULE = 'use lowercase letters, digits and dashes, starting with a letter, optionally scoped as @scope/name (e.g. acme-weather or @acme/weather)';

/** `nexus plugins new <name> [--kind …] [--sdk …]`: writes a plugin package into ./<name>. */
export function pluginsNew(io: CliIo, name: string, options: PluginsNewOptions): number {
  const kind = checkKind(options.kind ?? 'tool');
  checkName(name);
  const names = pluginNames(name);
  const dir = resolve(io.cwd, names.short);
  checkTarget(dir);
  const files = renderPlugin(kind, names, scaffoldSources(io.cwd, options.sdk));
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const where = relative(io.cwd, dir) || '.';
  io.stdout(`Created ${kind} plugin ${names.id} in ${where}/:\n${[...files.keys()].map((f) => `  ${f}\n`).join('')}\nNext:\n  cd ${where}\n  npm install --ignore-scripts\n  npm test\nthen add ${where} to plugins.load.paths in nexus.yaml.\n`);
  return EXIT.ok;
}

function checkKind(kind: string): PluginKind {
  if (Object.hasOwn(PLUGIN_KINDS, kind)) return kind as PluginKind;
  throw new CliExit(EXIT.usage, `--kind "${kind}" is not a plugin kind; use one of ${Object.keys(PLUGIN_KINDS).join(', ')}`);
}

function checkName(name: string): void {
  const problem =
    name.length > 100 ? `is ${name.length} characters long, the limit is 100`
    : name !== name.toLowerCase() ? 'has capital letters'
    : !NAME.test(name) ? 'is not a valid npm package name and plugin id'
    : undefined;
  if (problem) throw new CliExit(EXIT.usage, `plugin name "${name}" (the <name> argument) ${problem}; ${NAME_RULE}`);
}

function checkTarget(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new CliExit(EXIT.usage, `${dir} exists and is not a folder; choose another name or move the file away`);
  if (readdirSync(dir).length > 0) throw new CliExit(EXIT.usage, `${dir} exists and is not empty; choose another name, or empty or remove the folder first`);
}

/**
 * The SDK and the host are not on the npm registry yet, so the scaffold's dev dependencies point at
 * the Nexus that runs this command: `file:` links to its folder and to its copy of the SDK, which
 * install offline. `--sdk` names a tarball (as `npm pack` makes it) or another spec instead.
 */
function scaffoldSources(cwd: string, sdk: string | undefined): ScaffoldSources {
  const hostRoot = hostPaths.root.replace(/[\\/]$/, '');
  const { dir: sdkDir, version: sdkVersion } = hostSdk();
  return {
    sdk: sdk === undefined ? `file:${realpathSync(sdkDir)}` : installSpec(cwd, sdk),
    host: `file:${realpathSync(hostRoot)}`,
    sdkVersion,
    hostVersion: readHostVersion(),
  };
}

/** A path that exists becomes an absolute `file:` spec, so the package installs from any folder. */
function installSpec(cwd: string, spec: string): string {
  if (existsSync(resolve(cwd, spec))) return `file:${resolve(cwd, spec)}`;
  if (/^[./~]|\.tgz$/.test(spec)) throw new CliExit(EXIT.usage, `--sdk ${spec}: no such file or folder (${resolve(cwd, spec)}); pass the SDK tarball \`npm pack\` made, or leave --sdk out to link this host's SDK`);
  return spec;
}
