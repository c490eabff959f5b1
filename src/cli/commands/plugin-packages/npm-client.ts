import { execFile } from 'node:child_process';
import { CliExit, EXIT } from '../../cli-context.js';

/**
 * Flags on every npm call. Lifecycle scripts never run (`preinstall`, `install`, `postinstall`,
 * `prepare`, `prepack`: a package's own or a dependency's), which is what makes installing a
 * plugin no more than copying files. Peers are not installed: the host gives every plugin its own
 * `@nexus/plugin-sdk` and inversify (src/kernel/load/shared-modules.ts), and the SDK is not on the
 * registry. Nested: a plugin's dependencies stay inside its folder, so the folder alone moves
 * into place, and no two plugins share (or fight over) a hoisted copy.
 */
const SAFE_FLAGS = ['--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund', '--no-update-notifier'];

/** The same switches through the environment, so a nested npm (a git dependency's pack) inherits them. */
const SAFE_ENV = { npm_config_ignore_scripts: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

/** What `npm pack --json` reports of one package. */
export interface PackedTarball {
  readonly name: string;
  readonly version: string;
  /** Subresource-integrity string of the tarball (`sha512-…`), as the registry would record it. */
  readonly integrity: string;
  readonly filename: string;
}

export class NpmClient {
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** `npm pack <spec>` into `dir`: downloads a registry package, or packs a folder or tarball, running no script. */
  async pack(spec: string, dir: string, what: string): Promise<PackedTarball> {
    const stdout = await this.run(['pack', spec, '--json', '--pack-destination', dir], dir, what);
    let packed: PackedTarball | undefined;
    try {
      packed = (JSON.parse(stdout) as PackedTarball[])[0];
    } catch {
      // Reported below with what npm printed.
    }
    if (!packed?.name || !packed.filename) throw new CliExit(EXIT.problems, `npm pack of ${what} printed no package description:\n${stdout}\nnothing was changed`);
    return packed;
  }

  /** `npm install <tarball>` into the project folder `prefix`, production dependencies only. */
  async install(tarball: string, prefix: string, what: string): Promise<void> {
    await this.run(['install', tarball, '--prefix', prefix, '--omit=dev', '--install-strategy=nested', '--no-save', '--no-package-lock'], prefix, what);
  }

  private run(args: readonly string[], cwd: string, what: string): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile('npm', [...args, ...SAFE_FLAGS], { cwd, env: { ...this.env, ...SAFE_ENV }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          return reject(new CliExit(EXIT.problems, 'npm is not on PATH; plugins install through npm, which comes with Node.js: put it on PATH and try again; nothing was changed'));
        }
        // npm's first error lines say what went wrong (code, then message); the rest is a stack or a log path.
        const lines = `${stderr}`.trim().split('\n');
        const said = lines.filter((line) => /^npm (error|ERR!) \S/.test(line) && !/^npm \S+ (at |\d+$)|complete log/.test(line)).slice(0, 5).join('\n') || lines.slice(-5).join('\n');
        reject(new CliExit(EXIT.problems, `npm could not get ${what} (npm ${args[0]} exited with ${error.code ?? error.signal}):\n${said}\ncheck the name, version or path (and the network, for a registry package); nothing was changed`));
      });
    });
  }
}
