import { join, resolve } from 'node:path';
import * as clack from '@clack/prompts';
import { ChannelLogins, CliCommands } from '@nexus/plugin-sdk';
import { defaultHome, Kernel, loadConfigFile, loggerFor } from '../../../kernel/index.js';
import { CliExit, configSource, EXIT, type CliIo, type GlobalOptions } from '../../cli-context.js';
import { formatDiagnostics } from '../../output/index.js';
import { serviceCommand } from '../service/index.js';
import { planConfig, writeConfig } from './config-plan.js';
import { answersFromFlags, type OnboardFlags } from './flags.js';
import type { OnboardAnswers } from './onboard-answers.js';
import { OnboardState } from './onboard-state.js';
import { probeModels } from './models-probe.js';
import { defaultModel } from './provider-choice.js';
import { Wizard, WizardCancelled } from './wizard.js';

/** Whether to ask on the terminal (the CLI passes process.stdin.isTTY) or take flags only. */
export interface OnboardTerminal {
  readonly interactive: boolean;
}

/**
 * `nexus onboard`: provider (probed live), default model, workspace, an optional channel login,
 * a gateway API key and the service, in that order. The whole config is validated against the
 * composed schema before anything is written; the file is then written once, atomically, with a
 * `.bak`. The wizard keeps its answers in $NEXUS_HOME/onboard-state.json until it completes.
 */
export async function onboardCommand(globals: GlobalOptions, io: CliIo, flags: OnboardFlags, terminal: OnboardTerminal): Promise<number> {
  const source = configSource(globals, io);
  const nexusHome = resolve(defaultHome(io.env));
  const configPath = source.path ?? join(nexusHome, 'nexus.yaml');
  const proposedWorkspace = join(nexusHome, 'workspace');
  const interactive = flags.nonInteractive !== true;
  if (interactive && !terminal.interactive) {
    throw new CliExit(EXIT.usage, 'nexus onboard asks questions, but stdin is not a terminal; pass --non-interactive with --provider (and --api-key, --model, --workspace as needed); nothing was written');
  }
  const state = new OnboardState(nexusHome);
  const channels = channelsWithLogin(globals, io);

  let answers: OnboardAnswers;
  if (interactive) {
    const resumed = state.load();
    answers = { ...resumed };
    clack.intro(resumed ? `nexus onboard: resuming (answers kept in ${state.path})` : 'nexus onboard');
    const wizard = new Wizard(answers, state, io.env);
    try {
      await wizard.model(await wizard.provider());
      await wizard.workspace(proposedWorkspace);
      await wizard.channel(channels);
      await wizard.gatewayKey();
      await wizard.service(process.platform === 'linux' || process.platform === 'darwin');
    } catch (error) {
      if (error instanceof WizardCancelled) {
        clack.cancel(`Interrupted; nothing was written to ${configPath}. Your answers are kept in ${state.path} (mode 0600, as it holds the key); run \`nexus onboard\` again to resume.`);
        return EXIT.problems;
      }
      throw error;
    }
  } else {
    answers = answersFromFlags(flags, io.env, proposedWorkspace);
    const probe = await probeModels({ kind: answers.provider!, ...(answers.baseUrl ? { baseUrl: answers.baseUrl } : {}), ...(answers.apiKey ? { apiKey: answers.apiKey } : {}) });
    if (!probe.ok) {
      const fix =
        probe.reason === 'auth'
          ? 'check the key (--api-key, or the provider variable) and run again'
          : probe.reason === 'unreachable'
            ? 'check the URL and that the server is running (for Ollama: `ollama serve`, URL http://127.0.0.1:11434/v1), and run again'
            : 'check that the URL is the API base, and run again';
      throw new CliExit(EXIT.problems, `the provider check failed: ${probe.message}. Fix: ${fix}. Nothing was written.`);
    }
    if (answers.model !== undefined && probe.models.length > 0 && !probe.models.some((m) => m === answers.model || m.startsWith(`${answers.model}-`))) {
      throw new CliExit(EXIT.problems, `--model ${answers.model} is not among the ${probe.models.length} models ${probe.url} lists (${probe.models.slice(0, 8).join(', ')}${probe.models.length > 8 ? ', …' : ''}); pick one of them. Nothing was written.`);
    }
    answers.model ??= defaultModel(answers.provider!, probe.models);
    if (answers.model === undefined) throw new CliExit(EXIT.problems, `${probe.url} lists no models; pass --model. Nothing was written.`);
    if (answers.channel && !channels.includes(answers.channel)) {
      throw new CliExit(EXIT.usage, `--channel ${answers.channel}: no enabled channel plugin offers a login${channels.length > 0 ? ` (these do: ${channels.join(', ')})` : ''}; nothing was written`);
    }
  }

  try {
    await apply(answers, { globals, io, configPath, nexusHome, profile: source.profile, state: interactive ? state : undefined });
  } catch (error) {
    if (interactive) io.stderr(`Onboarding did not complete; your answers are kept in ${state.path} (mode 0600), so \`nexus onboard\` resumes.\n`);
    throw error;
  }
  if (interactive) {
    state.clear();
    clack.outro('Done. Talk to it with `nexus chat`.');
  } else io.stdout('Onboarding complete. Talk to it with `nexus chat`.\n');
  return EXIT.ok;
}

interface ApplyContext {
  readonly globals: GlobalOptions;
  readonly io: CliIo;
  readonly configPath: string;
  readonly nexusHome: string;
  readonly profile: string | undefined;
  readonly state: OnboardState | undefined;
}

/** Validates, then writes: the config, the workspace, a channel login, the API key, the service. */
async function apply(answers: OnboardAnswers, ctx: ApplyContext): Promise<void> {
  const { io, configPath } = ctx;
  const plan = planConfig(configPath, { provider: answers.provider!, model: answers.model!, workspace: resolve(answers.workspace!), ...(answers.baseUrl ? { baseUrl: answers.baseUrl } : {}), ...(answers.apiKey ? { apiKey: answers.apiKey } : {}) }, { home: ctx.nexusHome, workspaceDir: io.cwd, env: io.env });
  if (plan.errors.length > 0) {
    io.stderr(formatDiagnostics(plan.errors));
    throw new CliExit(EXIT.problems, `the config onboarding would write to ${configPath} does not validate (above); nothing was written. Fix the existing file (\`nexus config validate\`) and run again.`);
  }
  const written = writeConfig(plan);
  io.stdout(`Wrote ${configPath}${written.backup ? ` (the previous file is ${written.backup})` : ''}; mode 0600, as it holds the provider key${written.tightened ? ' (it was readable by others before)' : ''}.\n`);

  const globals: GlobalOptions = ctx.profile !== undefined ? { profile: ctx.profile } : { config: configPath };
  const config = loadConfigFile(configPath, { env: io.env, source: ctx.profile !== undefined ? { path: configPath, origin: 'profile-flag', profile: ctx.profile } : { path: configPath, origin: 'flag' } });
  const kernel = new Kernel({ config, home: ctx.nexusHome, workspaceDir: io.cwd, logger: loggerFor(config.data.logging, undefined, 'warn'), callerReportsFailures: true });
  const controller = new AbortController();
  try {
    await runCommand(kernel, 'setup', '', { workspace: resolve(answers.workspace!), overwrite: false, json: false }, configPath, controller.signal, io);
    if (answers.channel) {
      const login = await kernel.contributions.get(ChannelLogins, answers.channel);
      io.stdout(`Signing in to ${answers.channel}…\n`);
      await login.login({ accountId: 'default', signal: controller.signal, print: (line) => io.stdout(`${line}\n`) });
    }
    if (answers.apiKeyName && !answers.apiKeyCreated) {
      const output: string[] = [];
      await runCommand(kernel, 'auth', 'api-key create', { name: answers.apiKeyName, admin: false, json: true }, configPath, controller.signal, { ...io, stdout: (t) => output.push(t) });
      const created = JSON.parse(output.join('')) as { id: string; role: string; key: string };
      answers.apiKeyCreated = created.id;
      ctx.state?.save(answers);
      io.stdout(`Created the gateway API key "${answers.apiKeyName}" (role ${created.role}); it is shown once, keep it:\n${created.key}\n`);
    }
  } finally {
    await kernel.stop('onboard finished');
  }
  if (answers.installService) {
    const code = await serviceCommand(globals, io, 'install', {});
    if (code !== EXIT.ok) throw new CliExit(code, 'the service did not install (above)');
  }
}

async function runCommand(kernel: Kernel, name: string, subcommand: string, options: Record<string, string | boolean>, configPath: string, signal: AbortSignal, io: CliIo): Promise<void> {
  const command = await kernel.contributions.get(CliCommands, name);
  const code = await command.run({ subcommand, args: {}, options, configPath, signal, stdout: io.stdout, stderr: io.stderr });
  if (code !== 0) throw new CliExit(EXIT.problems, `\`nexus ${[name, subcommand].filter(Boolean).join(' ')}\` failed (above)`);
}

/** Channels whose plugins contribute a login (QR pairing, OAuth): the only ones onboarding offers. */
function channelsWithLogin(globals: GlobalOptions, io: CliIo): string[] {
  try {
    const source = configSource(globals, io);
    const config = source.path ? loadConfigFile(source.path, { env: io.env, source }) : undefined;
    // No discovery index: a refused onboarding leaves $NEXUS_HOME as it was.
    const kernel = new Kernel({ ...(config ? { config } : {}), home: defaultHome(io.env), workspaceDir: io.cwd, callerReportsFailures: true, discoveryIndex: false });
    return [...kernel.contributions.names(ChannelLogins)];
  } catch {
    return [];
  }
}
