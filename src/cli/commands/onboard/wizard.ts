import type { Readable, Writable } from 'node:stream';
import * as clack from '@clack/prompts';
import type { OnboardAnswers } from './onboard-answers.js';
import type { OnboardState } from './onboard-state.js';
import { probeModels, type ProbeResult } from './models-probe.js';
import { defaultModel, KEY_VARIABLES, type ProviderKind } from './provider-choice.js';

/** The operator pressed Ctrl-C (or Esc) at a prompt. */
export class WizardCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'WizardCancelled';
  }
}

function answered<T>(value: T): Exclude<T, symbol> {
  if (clack.isCancel(value)) throw new WizardCancelled();
  return value as Exclude<T, symbol>;
}

/**
 * The interactive questions, each saved to the state file as soon as it is answered, so Ctrl-C
 * or a failure later keeps them; a resumed run offers them as defaults.
 */
export class Wizard {
  /** The terminal the prompts use; process.stdin/stdout unless a test gives its own. */
  private readonly io: { input?: Readable; output?: Writable };

  constructor(
    private readonly answers: OnboardAnswers,
    private readonly state: OnboardState,
    private readonly env: NodeJS.ProcessEnv,
    streams: { readonly input?: Readable; readonly output?: Writable } = {},
  ) {
    this.io = { ...(streams.input ? { input: streams.input } : {}), ...(streams.output ? { output: streams.output } : {}) };
  }

  private save(): void {
    this.state.save(this.answers);
  }

  /** Provider, key or URL, probed until the provider answers; returns the models it lists. */
  async provider(): Promise<readonly string[]> {
    const a = this.answers;
    for (;;) {
      const kind = answered(
        await clack.select<ProviderKind>({
          ...this.io,
          message: 'Which model provider?',
          options: [
            { value: 'anthropic', label: 'Anthropic', hint: 'needs an API key' },
            { value: 'openai', label: 'OpenAI', hint: 'needs an API key' },
            { value: 'compatible', label: 'OpenAI-compatible server', hint: 'Ollama, vLLM, LM Studio…: a base URL' },
          ],
          ...(a.provider ? { initialValue: a.provider } : {}),
        }),
      );
      a.provider = kind;
      this.save();
      if (kind === 'compatible') {
        a.baseUrl = answered(
          await clack.text({ ...this.io,
            message: 'Base URL of the OpenAI-compatible API',
            placeholder: 'http://127.0.0.1:11434/v1',
            defaultValue: a.baseUrl ?? 'http://127.0.0.1:11434/v1',
            validate: (v) => (v === undefined || v === '' || /^https?:\/\/\S+$/.test(v) ? undefined : 'an http:// or https:// URL'),
          }),
        ).replace(/\/+$/, '');
        const key = answered(await clack.password({ ...this.io, message: 'API key (leave empty if the server needs none)' }));
        if (key !== '') a.apiKey = key;
        else delete a.apiKey;
      } else {
        delete a.baseUrl;
        const variable = KEY_VARIABLES[kind];
        const fromEnv = this.env[variable];
        const reuse = a.apiKey ? answered(await clack.confirm({ ...this.io, message: 'Use the API key you gave last time?', initialValue: true })) : false;
        if (!reuse) {
          const key = answered(await clack.password({ ...this.io, message: `API key${fromEnv ? ` (empty: use ${variable} from the environment)` : ''}`, validate: (v) => (v || fromEnv ? undefined : 'a key is needed') }));
          a.apiKey = key === '' ? fromEnv! : key;
        }
      }
      this.save();
      const spin = clack.spinner({ ...(this.io.output ? { output: this.io.output } : {}) });
      spin.start('Asking the provider for its models');
      const probe: ProbeResult = await probeModels({ kind, ...(a.baseUrl ? { baseUrl: a.baseUrl } : {}), ...(a.apiKey ? { apiKey: a.apiKey } : {}) });
      if (probe.ok) {
        spin.stop(`The provider answered: ${probe.models.length} models`);
        return probe.models;
      }
      spin.error(`The provider check failed: ${probe.message}`);
      clack.log.warn(probe.reason === 'auth' ? 'Check the key and try again.' : 'Check the URL (and that the server is running), then try again.', this.io.output ? { output: this.io.output } : {});
    }
  }

  async model(models: readonly string[]): Promise<void> {
    const a = this.answers;
    const proposed = a.model && models.includes(a.model) ? a.model : defaultModel(a.provider!, models);
    if (models.length > 0 && models.length <= 40) {
      a.model = answered(await clack.select<string>({ ...this.io, message: 'Default model', options: models.map((m) => ({ value: m, label: m })), ...(proposed ? { initialValue: proposed } : {}), maxItems: 12 }));
    } else {
      a.model = answered(await clack.text({ ...this.io, message: `Default model${models.length > 0 ? ` (${models.length} listed)` : ''}`, defaultValue: proposed ?? '', placeholder: proposed ?? 'model id', validate: (v) => (v || proposed ? undefined : 'a model id is needed') }));
    }
    this.save();
  }

  async workspace(proposed: string): Promise<void> {
    this.answers.workspace = answered(await clack.text({ ...this.io, message: 'Workspace folder (AGENTS.md, SOUL.md, … shape the agent)', defaultValue: this.answers.workspace ?? proposed, placeholder: this.answers.workspace ?? proposed }));
    this.save();
  }

  async channel(withLogin: readonly string[]): Promise<void> {
    if (withLogin.length === 0) {
      this.answers.channel = '';
      return;
    }
    this.answers.channel = answered(
      await clack.select<string>({ ...this.io, message: 'Sign in to a channel now?', options: [{ value: '', label: 'No, later' }, ...withLogin.map((id) => ({ value: id, label: id }))], initialValue: this.answers.channel ?? '' }),
    );
    this.save();
  }

  async gatewayKey(): Promise<void> {
    const make = answered(await clack.confirm({ ...this.io, message: 'Create an API key for the gateway (for clients and `nexus chat`)?', initialValue: this.answers.apiKeyName !== '' }));
    this.answers.apiKeyName = make ? answered(await clack.text({ ...this.io, message: 'Name of the key', defaultValue: this.answers.apiKeyName || 'onboard', placeholder: this.answers.apiKeyName || 'onboard' })) : '';
    this.save();
  }

  async service(supported: boolean): Promise<void> {
    this.answers.installService = supported ? answered(await clack.confirm({ ...this.io, message: 'Install Nexus as a service that starts at login?', initialValue: this.answers.installService ?? false })) : false;
    this.save();
  }
}
