import { PROVIDER_FAILURE_REASONS, type ConfigAccess, type TurnErrorCode } from '@nexus/plugin-sdk';
import { readLlmSettings } from '@nexus/plugin-sdk/provider';
import { LabelValues } from './label-values.js';

const TURN_ERROR_CODES = [...PROVIDER_FAILURE_REASONS, 'cancelled', 'max_iterations', 'no_provider', 'unavailable', 'internal'] as const satisfies readonly TurnErrorCode[];

/**
 * The bound of every label Nexus exports (label-values.ts says why). Enumerated labels take
 * their enumeration and nothing else; open ones take what configuration names plus a few
 * first-seen values. The spare counts are documented in docs/operator-guide.md (Metrics).
 */
export class MetricLabels {
  /** `llm.providers` ids and types, and `unknown` for a turn that reached no provider. */
  readonly provider = new LabelValues(4, ['unknown']);
  /** Default and fallback models of `llm`; spare values take the models providers report for themselves. */
  readonly model = new LabelValues(8, ['unknown']);
  readonly channel = new LabelValues(16);
  /** Tool names come from the model too (an unknown tool is still a `tool.executed`). */
  readonly tool = new LabelValues(32);
  readonly turnErrorCode = new LabelValues(4, [...TURN_ERROR_CODES, 'unknown']);
  readonly deliveryCode = new LabelValues(8);
  readonly outcome = new LabelValues(0, ['done', 'error', 'cancelled']);
  readonly reason = new LabelValues(0, PROVIDER_FAILURE_REASONS);
  readonly next = new LabelValues(0, ['retry', 'failover', 'give_up']);

  /** Admits the providers and models the `llm` section names, so they are never `other`. */
  knowConfigured(config: ConfigAccess): void {
    const section = config.section<Readonly<Record<string, unknown>>>('llm');
    if (!section) return;
    const llm = readLlmSettings(section);
    const providers = llm.entries.flatMap((entry) => [entry.id, entry.type]);
    if (llm.defaultProvider) providers.push(llm.defaultProvider);
    this.provider.know([...providers, ...llm.fallbacks.map((fallback) => fallback.provider)]);
    const models = [...llm.entries.map((entry) => entry.defaultModel), ...llm.fallbacks.map((fallback) => fallback.model)];
    this.model.know(models.filter((model): model is string => model !== undefined));
  }
}
