import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeAtomically } from '../../../kernel/index.js';
import { isVersionManagerPath } from '../../../kernel/service/index.js';
import { CliExit, EXIT, type CliIo } from '../../cli-context.js';
import { foregroundCommand, unitFor, type ServiceHost, type UnitFile } from './service-host.js';
import { SystemRunner, type RunResult } from './system-runner.js';
import { readyzUrl, waitReady } from './wait-ready.js';

export type ServiceVerb = 'install' | 'uninstall' | 'start' | 'stop' | 'restart' | 'status' | 'logs';

export interface LogsOptions {
  readonly follow?: boolean;
  readonly lines?: number;
}

/**
 * `nexus service <verb>`: a systemd user unit on Linux, a LaunchAgent on macOS, both rendered
 * from Nexus's own templates. Every precondition (the service manager, a user bus) is checked
 * before anything is written, so a refusal leaves the disk as it was.
 */
export class ServiceCommand {
  private readonly runner: SystemRunner;
  private readonly unit: UnitFile;

  constructor(
    private readonly host: ServiceHost,
    private readonly io: CliIo,
  ) {
    this.runner = new SystemRunner(host.env);
    const unit = unitFor(host);
    if (!unit) {
      throw new CliExit(
        EXIT.problems,
        `nexus service supports systemd (Linux) and launchd (macOS), not ${host.platform}; nothing was written. Run Nexus in the foreground instead: ${foregroundCommand(host)}`,
      );
    }
    this.unit = unit;
  }

  async run(verb: ServiceVerb, logs: LogsOptions = {}): Promise<number> {
    if (verb === 'logs') return this.logs(logs);
    this.requireManager();
    switch (verb) {
      case 'install':
        return this.install();
      case 'uninstall':
        return this.uninstall();
      case 'status':
        return this.status();
      default:
        this.requireInstalled();
        this.manage(verb);
        this.io.stdout(`${verb === 'stop' ? 'Stopped' : verb === 'start' ? 'Started' : 'Restarted'} ${this.unit.name}.\n`);
        return EXIT.ok;
    }
  }

  private async install(): Promise<number> {
    const { host, unit, io } = this;
    if (isVersionManagerPath(host.nodePath)) {
      io.stderr(
        `warning: node is ${host.nodePath}, from a version manager; the unit runs that exact binary, which an upgrade may remove (\`nexus doctor --audit --repair\` then fixes the unit). A system node (e.g. /usr/bin/node) avoids this.\n`,
      );
    }
    writeAtomically(unit.path, unit.text, 0o644);
    if (unit.logFiles) mkdirSync(dirname(unit.logFiles.out), { recursive: true });
    io.stdout(`Wrote ${unit.path}.\n`);
    if (unit.kind === 'systemd') {
      this.systemctl(['daemon-reload']);
      this.systemctl(['enable', unit.name]);
      this.systemctl(['restart', unit.name]);
    } else {
      this.launchctl(['bootout', this.launchdTarget()], true);
      this.launchctl(['bootstrap', this.launchdDomain(), unit.path]);
      this.launchctl(['kickstart', '-k', this.launchdTarget()]);
    }
    const url = readyzUrl(host.server);
    io.stdout(`Started ${unit.name}; waiting for ${url} …\n`);
    const readiness = await waitReady(url, host.readyTimeoutMs);
    if (!readiness.ready) {
      throw new CliExit(
        EXIT.problems,
        `${unit.name} is installed and was started, but ${url} did not answer within ${host.readyTimeoutMs / 1000} s (last: ${readiness.last}). See why with \`nexus service logs\` and \`nexus service status\`; fix the config (\`nexus config validate\`), then \`nexus service restart\`.`,
      );
    }
    io.stdout(`${unit.name} is ready (${url} answered HTTP ${readiness.status}).\n`);
    if (unit.kind === 'systemd') this.lingerNote();
    return EXIT.ok;
  }

  private uninstall(): number {
    const { unit, io } = this;
    if (!existsSync(unit.path)) {
      io.stdout(`${unit.name} is not installed (${unit.path} does not exist); nothing to do.\n`);
      return EXIT.ok;
    }
    if (unit.kind === 'systemd') {
      this.systemctl(['disable', '--now', unit.name], true);
      rmSync(unit.path, { force: true });
      this.systemctl(['daemon-reload'], true);
    } else {
      this.launchctl(['bootout', this.launchdTarget()], true);
      rmSync(unit.path, { force: true });
    }
    io.stdout(`Stopped ${unit.name} and removed ${unit.path}.\n`);
    return EXIT.ok;
  }

  private status(): number {
    const { unit, io } = this;
    if (!existsSync(unit.path)) {
      io.stdout(`${unit.name}: not installed (${unit.path}); install it with \`nexus service install\`.\n`);
      return EXIT.problems;
    }
    io.stdout(`${unit.name}: ${unit.path}\n`);
    const result = unit.kind === 'systemd' ? this.runner.run('systemctl', ['--user', 'status', '--no-pager', unit.name]) : this.runner.run('launchctl', ['print', this.launchdTarget()]);
    io.stdout(result.stdout);
    if (result.stderr.trim() !== '') io.stderr(result.stderr);
    // systemctl status exits 3 for an inactive unit; launchctl print fails for an unloaded one.
    return result.status === 0 ? EXIT.ok : EXIT.problems;
  }

  private async logs(options: LogsOptions): Promise<number> {
    const { unit } = this;
    const lines = String(options.lines ?? 200);
    if (unit.kind === 'systemd') {
      this.requireTool('journalctl', 'read the service log');
      return (await this.runner.attach('journalctl', ['--user', '-u', unit.name, '-n', lines, '--no-pager', ...(options.follow ? ['-f'] : [])])) === 0 ? EXIT.ok : EXIT.problems;
    }
    const files = [unit.logFiles!.out, unit.logFiles!.err].filter((f) => existsSync(f));
    if (files.length === 0) throw new CliExit(EXIT.problems, `no log files yet at ${unit.logFiles!.out} or ${unit.logFiles!.err}; is ${unit.name} installed (\`nexus service status\`)?`);
    return (await this.runner.attach('tail', ['-n', lines, ...(options.follow ? ['-f'] : []), ...files])) === 0 ? EXIT.ok : EXIT.problems;
  }

  private manage(verb: 'start' | 'stop' | 'restart'): void {
    const { unit } = this;
    if (unit.kind === 'systemd') {
      // A unit repaired by doctor, or edited, is re-read before it is (re)started.
      if (verb !== 'stop') this.systemctl(['daemon-reload']);
      this.systemctl([verb, unit.name]);
      return;
    }
    if (verb === 'stop') this.launchctl(['bootout', this.launchdTarget()]);
    else if (verb === 'start') {
      this.launchctl(['bootstrap', this.launchdDomain(), unit.path], true);
      this.launchctl(['kickstart', this.launchdTarget()]);
    } else this.launchctl(['kickstart', '-k', this.launchdTarget()]);
  }

  /** The service manager is present and reachable; otherwise what to do instead, and nothing is written. */
  private requireManager(): void {
    const { host, unit } = this;
    const foreground = `run Nexus in the foreground instead: ${foregroundCommand(host)} (under tmux, screen or your own supervisor)`;
    if (unit.kind === 'launchd') {
      this.requireTool('launchctl', 'manage LaunchAgents');
      return;
    }
    this.requireTool('systemctl', "manage systemd's user units");
    const runtime = host.env.XDG_RUNTIME_DIR;
    const probe = runtime ? this.runner.run('systemctl', ['--user', 'show-environment']) : undefined;
    if (!runtime || probe!.status !== 0) {
      const why = runtime ? `\`systemctl --user\` failed: ${firstLine(probe!)}` : 'XDG_RUNTIME_DIR is not set';
      throw new CliExit(
        EXIT.problems,
        `no systemd user manager is reachable (${why}); containers and SSH sessions without a login session have none. Nothing was written. Log in with a systemd session (or run \`sudo loginctl enable-linger ${host.user}\` and set XDG_RUNTIME_DIR=/run/user/${host.uid}), or ${foreground}.`,
      );
    }
  }

  private requireTool(tool: string, purpose: string): void {
    if (this.runner.which(tool)) return;
    throw new CliExit(
      EXIT.problems,
      `${tool} was not found on PATH (${this.host.env.PATH ?? 'unset'}); nexus service needs it to ${purpose}. Nothing was written. Install it, put it on PATH, or run Nexus in the foreground instead: ${foregroundCommand(this.host)}.`,
    );
  }

  private requireInstalled(): void {
    if (!existsSync(this.unit.path)) throw new CliExit(EXIT.problems, `${this.unit.name} is not installed (${this.unit.path} does not exist); run \`nexus service install\` first.`);
  }

  private systemctl(args: readonly string[], tolerate = false): RunResult {
    return this.checked('systemctl', ['--user', ...args], tolerate);
  }

  private launchctl(args: readonly string[], tolerate = false): RunResult {
    return this.checked('launchctl', args, tolerate);
  }

  private checked(tool: string, args: readonly string[], tolerate: boolean): RunResult {
    const result = this.runner.run(tool, args);
    if (result.status !== 0 && !tolerate) {
      throw new CliExit(EXIT.problems, `\`${tool} ${args.join(' ')}\` failed (exit ${result.status}): ${firstLine(result)}. See \`nexus service status\` and \`nexus service logs\`.`);
    }
    return result;
  }

  /** Without linger, systemd stops user units at logout: say so, with the exact command. */
  private lingerNote(): void {
    const { user } = this.host;
    const result = this.runner.run('loginctl', ['show-user', user, '-p', 'Linger']);
    if (result.status !== 0) {
      this.io.stderr(`note: could not check linger (${firstLine(result)}); without it ${this.unit.name} stops when you log out. Enable it with: sudo loginctl enable-linger ${user}\n`);
    } else if (/^Linger=no$/m.test(result.stdout)) {
      this.io.stderr(`note: linger is off for ${user}, so ${this.unit.name} stops when you log out and starts only at your next login. Keep it running with:\n  sudo loginctl enable-linger ${user}\n`);
    }
  }

  private launchdDomain(): string {
    return `gui/${this.host.uid}`;
  }

  private launchdTarget(): string {
    return `gui/${this.host.uid}/${this.unit.name}`;
  }
}

function firstLine(result: RunResult): string {
  return (result.stderr.trim() || result.stdout.trim() || 'no output').split('\n')[0]!;
}
