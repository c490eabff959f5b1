import { LlmProviders, type ConfigAccess, type ContributionRegistry, type DoctorCheck, type DoctorFinding, type LogFields, type Logger } from '@nexus/plugin-sdk';
import { ProviderChain } from './candidate-chain.js';
import { isNoProviderError } from './no-provider-error.js';

/**
 * `nexus doctor`: resolves the provider chain the way the first turn will, without contacting
 * any provider, so a setup in which every turn fails is reported before a user finds out. An
 * entry whose type no plugin provides is left to config validation, which names its file line.
 */
export class ProviderSetupCheck implements DoctorCheck {
  readonly id = 'llm-providers';
  readonly description = 'a model provider is set up, so turns can be answered';

  constructor(
    private readonly config: ConfigAccess,
    private readonly contributions: ContributionRegistry,
    private readonly env: Readonly<Record<string, string | undefined>> = process.env,
  ) {}

  async run(): Promise<readonly DoctorFinding[]> {
    const { contributions } = this;
    // What resolving logs (an unusable fallback, no default_provider among several) is a finding here.
    const findings: DoctorFinding[] = [];
    try {
      const chain = await ProviderChain.resolve(this.config.section<Record<string, unknown>>('llm') ?? {}, {
        factory: async (type) => (contributions.has(LlmProviders, type) ? contributions.get(LlmProviders, type) : undefined),
        knownTypes: contributions.names(LlmProviders),
        env: this.env,
        logger: new FindingLogger(findings),
      });
      chain.candidatesFor(undefined);
    } catch (error) {
      if (!isNoProviderError(error)) throw error;
      if (error.kind === 'none_configured') {
        // The turn's message minus its opening sentence, which speaks of "this turn".
        const [first = '', ...fix] = error.message.split('\n');
        const lead = first.endsWith(':') ? ['set one up in any of these ways:'] : [];
        findings.push({ level: 'warning', message: 'no LLM provider is configured, so every turn will fail', hint: [...lead, ...fix].join('\n') });
      } else if (error.kind !== 'unknown_type') {
        findings.push({ level: 'error', message: `every turn will fail: ${error.message}` });
      }
    }
    return findings;
  }
}

/** A logger that turns warnings into doctor findings and drops the rest. */
class FindingLogger implements Logger {
  constructor(private readonly findings: DoctorFinding[]) {}
  trace(): void {}
  debug(): void {}
  info(): void {}
  warn(msg: string, fields?: LogFields): void {
    this.add('warning', msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.add('error', msg, fields);
  }
  private add(level: DoctorFinding['level'], msg: string, fields: LogFields | undefined): void {
    this.findings.push({ level, message: typeof fields?.problem === 'string' ? `${msg}: ${fields.problem}` : msg });
  }
  child(): Logger {
    return this;
  }
}
