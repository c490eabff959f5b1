import { homedir, userInfo } from 'node:os';
import { resolve } from 'node:path';
import { defaultHome } from '../../../kernel/index.js';
import { configSource, createKernel, type CliIo, type GlobalOptions } from '../../cli-context.js';
import { currentInstall } from '../doctor/doctor-command.js';
import { ServiceCommand, type ServiceVerb } from './service-command.js';
import type { ServiceHost } from './service-host.js';

export interface ServiceCliOptions {
  readonly follow?: boolean;
  readonly lines?: string;
  /** Seconds install waits for /readyz. */
  readonly timeout?: string;
}

/** `nexus service <verb>` from the command line: this process's node and CLI, the config in effect. */
export async function serviceCommand(globals: GlobalOptions, io: CliIo, verb: ServiceVerb, options: ServiceCliOptions): Promise<number> {
  const source = configSource(globals, io);
  // Only server.host and server.http_port are read: no discovery index, so a refusal leaves $NEXUS_HOME as it was.
  const kernel = createKernel(globals, io, { discoveryIndex: false });
  const server = kernel.settings.section<{ host?: string; http_port?: number }>('server') ?? {};
  const user = userInfo();
  const install = currentInstall();
  const host: ServiceHost = {
    platform: process.platform,
    env: io.env,
    home: io.env.HOME || homedir(),
    nexusHome: resolve(defaultHome(io.env)),
    user: io.env.USER || user.username,
    uid: user.uid,
    nodePath: install.nodePath,
    cliPath: install.cliPath,
    ...(source.profile !== undefined ? { profile: source.profile } : {}),
    ...(source.path !== undefined ? { configPath: resolve(source.path) } : {}),
    server,
    readyTimeoutMs: Number(options.timeout ?? '60') * 1000,
  };
  return new ServiceCommand(host, io).run(verb, { follow: options.follow === true, lines: Number(options.lines ?? '200') });
}
