import type { ConfigAccess, DoctorCheck, DoctorCheckContext, DoctorFinding, LlmProviderEntry, ProviderError } from '../contracts/index.js';
import { configuredEntries, type ProbeTarget } from './configured-entries.js';
import type { FailureContext } from './failure-mapping.js';
import { redactUrl } from './url-redaction.js';

const PROBE_TIMEOUT_MS = 4_000;

/** What the probe passes to the SDK's list call: the doctor's signal, a short timeout, no retries. */
export interface ProbeRequestOptions {
  readonly signal: AbortSignal;
  readonly timeout: number;
  readonly maxRetries: 0;
}

/** What one provider type tells the probe. */
export interface ModelsProbeSpec {
  /** The provider type, e.g. `openai`; the check is named `<type>-probe`. */
  readonly type: string;
  /** The variable holding an API key when an entry sets none. */
  readonly keyEnv: string;
  /** The base URL an entry without `base_url` talks to. */
  readonly defaultBaseUrl: string;
  /** The ids of the models the entry's server lists; throws whatever the SDK throws. */
  listModels(entry: LlmProviderEntry, options: ProbeRequestOptions): Promise<string[]>;
  /** The provider's failure mapping, so a probe reports a failure as a turn would. */
  providerError(error: unknown, context: FailureContext): ProviderError;
  /** Whether the listed ids cover `model` (some APIs list dated ids, not the aliases that point to them). */
  listsModel(listed: readonly string[], model: string): boolean;
  /** Who lists the models, for the warning: `the API`, `the server`. */
  readonly lister: string;
  /** Appended to the hint when the default model is not listed, e.g. what to do on Ollama. */
  readonly missingModelAdvice?: string;
}

/**
 * `nexus doctor --probe` for one provider type: lists the models of every entry of that type,
 * which proves reachability and the key, and warns when `default_model` is not among them.
 * Without `--probe` it contacts nothing and only says which entries it would check.
 */
export class ModelsProbe implements DoctorCheck {
  readonly id: string;
  readonly description: string;

  constructor(
    private readonly spec: ModelsProbeSpec,
    private readonly config: ConfigAccess,
    private readonly env: Readonly<Record<string, string | undefined>> = process.env,
  ) {
    this.id = `${spec.type}-probe`;
    this.description = `Lists the models of every ${spec.type}-type provider entry to check that it is reachable and accepts its key.`;
  }

  async run(ctx: DoctorCheckContext): Promise<readonly DoctorFinding[]> {
    const { type, keyEnv } = this.spec;
    const targets = configuredEntries(this.config, type, keyEnv, this.env);
    if (targets.length === 0) return [{ level: 'info', message: `no llm.providers entry has type ${type}, and ${keyEnv} is not set: nothing to probe` }];
    if (!ctx.probe) {
      return [{ level: 'info', message: `${targets.map((t) => t.entry.id).join(', ')}: not contacted (run doctor with --probe)` }];
    }
    const findings = await Promise.all(targets.map((target) => probe(this.spec, target, ctx.signal)));
    return findings.flat();
  }
}

async function probe(spec: ModelsProbeSpec, target: ProbeTarget, signal: AbortSignal): Promise<DoctorFinding[]> {
  const { entry, keySource } = target;
  const baseUrl = entry.baseUrl ?? spec.defaultBaseUrl;
  const where = `llm.providers.${entry.id} (${redactUrl(baseUrl)}, key: ${keySource})`;
  let models: string[];
  try {
    models = await spec.listModels(entry, { signal, timeout: PROBE_TIMEOUT_MS, maxRetries: 0 });
  } catch (raw) {
    const error = spec.providerError(raw, { provider: entry.id, model: entry.defaultModel ?? '', baseUrl });
    const hint =
      error.reason === 'auth'
        ? `set a valid key in llm.providers.${entry.id}.api_key or ${spec.keyEnv}`
        : error.reason === 'network' || error.reason === 'timeout'
          ? `check llm.providers.${entry.id}.base_url, and that the server is running`
          : undefined;
    const status = error.status === undefined ? '' : ` (HTTP ${error.status})`;
    return [{ level: 'error', message: `${where}: ${error.reason}${status}: ${error.message}`, ...(hint ? { hint } : {}) }];
  }
  const findings: DoctorFinding[] = [{ level: 'info', message: `${where}: reachable, key accepted, ${models.length} models listed` }];
  const model = entry.defaultModel;
  if (model !== undefined && models.length > 0 && !spec.listsModel(models, model)) {
    findings.push({
      level: 'warning',
      message: `${where}: default_model "${model}" is not among the models ${spec.lister} lists`,
      hint: `check llm.providers.${entry.id}.default_model${spec.missingModelAdvice ?? ''}`,
    });
  }
  return findings;
}
