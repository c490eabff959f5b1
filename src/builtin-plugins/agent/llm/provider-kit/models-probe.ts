import type { ConfigAccess, DoctorCheck, DoctorCheckContext, DoctorFinding } from '../../contracts/index.js';
import { configuredEntries, type ProbeTarget } from './configured-entries.js';
import { providerError } from './error-mapping.js';
import { OPENAI_API_URL, OPENAI_KEY_ENV, openaiClient } from './openai-client.js';
import { redactUrl } from './redaction.js';

const PROBE_TIMEOUT_MS = 4_000;

/** `nexus doctor --probe`: lists the models of every `openai` entry, which proves reachability and the key. */
export class OpenAIProbe implements DoctorCheck {
  readonly id = 'openai-probe';
  readonly description = 'Lists the models of every openai-type provider entry to check that it is reachable and accepts its key.';

  constructor(
    private readonly config: ConfigAccess,
    private readonly env: Readonly<Record<string, string | undefined>> = process.env,
  ) {}

  async run(ctx: DoctorCheckContext): Promise<readonly DoctorFinding[]> {
    const targets = configuredEntries(this.config, 'openai', OPENAI_KEY_ENV, this.env);
    if (targets.length === 0) return [{ level: 'info', message: `no llm.providers entry has type openai, and ${OPENAI_KEY_ENV} is not set: nothing to probe` }];
    if (!ctx.probe) {
      return [{ level: 'info', message: `${targets.map((t) => t.entry.id).join(', ')}: not contacted (run doctor with --probe)` }];
    }
    const findings = await Promise.all(targets.map((target) => probe(target, ctx.signal)));
    return findings.flat();
  }
}

async function probe(target: ProbeTarget, signal: AbortSignal): Promise<DoctorFinding[]> {
  const { entry, keySource } = target;
  const where = `llm.providers.${entry.id} (${redactUrl(entry.baseUrl ?? OPENAI_API_URL)}, key: ${keySource})`;
  let models: string[];
  try {
    const { client } = openaiClient(entry);
    const page = await client.models.list({ signal, timeout: PROBE_TIMEOUT_MS, maxRetries: 0 });
    models = page.data.map((m) => m.id);
  } catch (raw) {
    const error = providerError(raw, { provider: entry.id, model: entry.defaultModel ?? '', baseUrl: entry.baseUrl ?? OPENAI_API_URL });
    const hint =
      error.reason === 'auth'
        ? `set a valid key in llm.providers.${entry.id}.api_key or ${OPENAI_KEY_ENV}`
        : error.reason === 'network' || error.reason === 'timeout'
          ? `check llm.providers.${entry.id}.base_url, and that the server is running`
          : undefined;
    const status = error.status === undefined ? '' : ` (HTTP ${error.status})`;
    return [{ level: 'error', message: `${where}: ${error.reason}${status}: ${error.message}`, ...(hint ? { hint } : {}) }];
  }
  const findings: DoctorFinding[] = [{ level: 'info', message: `${where}: reachable, key accepted, ${models.length} models listed` }];
  if (entry.defaultModel !== undefined && models.length > 0 && !models.includes(entry.defaultModel)) {
    findings.push({
      level: 'warning',
      message: `${where}: default_model "${entry.defaultModel}" is not among the models the server lists`,
      hint: `check llm.providers.${entry.id}.default_model (for Ollama, pull the model first)`,
    });
  }
  return findings;
}
