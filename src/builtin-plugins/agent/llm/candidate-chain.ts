import type { LlmProviderEntry, LlmProviderFactory, Logger, ProviderCandidate } from '@nexus/plugin-sdk';
import { readLlmSettings, splitProviderModel, type FallbackSetting, type LlmSettings, type ProviderEntrySettings } from '@nexus/plugin-sdk/provider';
import { NoProviderError, noneConfiguredMessage } from './no-provider-error.js';

const MAX_CACHED_MODELS = 64;

/** One configured entry with its factory found and env fallbacks applied. */
export interface ResolvedEntry {
  readonly entry: LlmProviderEntry;
  readonly factory: LlmProviderFactory;
  readonly settings: ProviderEntrySettings;
}

/** One step of the chain for one call. */
export interface ChainLink extends ResolvedEntry {
  readonly candidate: ProviderCandidate;
}

export interface ChainSources {
  readonly factory: (type: string) => Promise<LlmProviderFactory | undefined>;
  readonly knownTypes: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger;
}

/**
 * The providers the config sets up, resolved once per client. How the primary is chosen:
 * 1. `llm.default_provider` when set. An id that `default_provider` or `fallbacks` names without
 *    an entry is a provider type with default settings (`default_provider: anthropic` plus
 *    `ANTHROPIC_API_KEY` is a complete setup).
 * 2. Otherwise the only entry of `llm.providers`, or the first one in file order (with a warning).
 * 3. With no entries at all, every enabled provider type whose API key variable is set
 *    (`ANTHROPIC_API_KEY`, `OPENAI_API_KEY`) becomes an entry named after its type, in the order
 *    the types are known; the first is the primary and the rest are not fallbacks.
 * A problem with the primary is a `NoProviderError`; a broken fallback is logged and skipped.
 */
export class ProviderChain {
  /**
   * `candidatesFor` per requested model: the chain never changes once resolved, and working the
   * links out again on every model call was a measurable share of a turn. The links are frozen
   * because every call now shares them. Bounded, since a caller may ask for any model name.
   */
  private readonly linksByModel = new Map<string, readonly ChainLink[]>();

  private constructor(
    private readonly entries: Map<string, ResolvedEntry>,
    private readonly primary: string,
    private readonly fallbacks: readonly FallbackSetting[],
    /** Every written `llm.providers` entry, for a request that names one outside the chain. */
    private readonly written: readonly ProviderEntrySettings[],
    private readonly sources: ChainSources,
  ) {}

  /**
   * `candidatesFor`, after resolving an `llm.providers` entry the request names (`id/model`, as a
   * stored agent's model or a `turn.before` handler may) that is neither the primary nor a
   * fallback: such entries are resolved on first use, so an unused one never loads its plugin.
   */
  async candidatesForRequest(requestedModel: string | undefined): Promise<readonly ChainLink[]> {
    const slash = requestedModel?.indexOf('/') ?? -1;
    const id = slash > 0 ? requestedModel!.slice(0, slash) : undefined;
    const settings = id === undefined || this.entries.has(id) ? undefined : this.written.find((e) => e.id === id);
    if (settings) {
      const resolved = await resolveEntry(settings, this.sources);
      if (typeof resolved === 'string') throw new NoProviderError('unknown_type', resolved);
      this.entries.set(settings.id, resolved);
      // Requests naming it were worked out as a bare model of the primary until now.
      this.linksByModel.clear();
    }
    return this.candidatesFor(requestedModel);
  }

  static async resolve(llm: Readonly<Record<string, unknown>>, sources: ChainSources): Promise<ProviderChain> {
    const settings = readLlmSettings(llm);
    const written = await entriesToResolve(settings, sources);
    if (written.length === 0 && settings.defaultProvider === undefined) {
      const envVars = await keyVariables(sources);
      throw new NoProviderError('none_configured', noneConfiguredMessage(envVars, sources.knownTypes));
    }
    const primary = settings.defaultProvider ?? written[0]!.id;
    if (settings.defaultProvider === undefined && written.length > 1) {
      sources.logger.warn('llm.default_provider is not set; using the first entry of llm.providers', { provider: primary, configured: written.map((e) => e.id) });
    }
    const primarySettings = written.find((e) => e.id === primary);
    if (primarySettings === undefined) {
      throw new NoProviderError(
        'unknown_provider',
        `llm.default_provider is "${primary}", but llm.providers has no entry "${primary}" (configured: ${idList(written)}). ` +
          `Add llm.providers.${primary} to nexus.yaml, or set llm.default_provider to one of the configured ids.`,
      );
    }

    const entries = new Map<string, ResolvedEntry>();
    const primaryEntry = await resolveEntry(primarySettings, sources);
    if (typeof primaryEntry === 'string') throw new NoProviderError('unknown_type', primaryEntry);
    entries.set(primary, primaryEntry);

    const fallbacks: FallbackSetting[] = [];
    for (const fallback of settings.fallbacks) {
      const fallbackSettings = written.find((e) => e.id === fallback.provider);
      const resolved = entries.get(fallback.provider) ?? (fallbackSettings ? await resolveEntry(fallbackSettings, sources) : undefined);
      if (resolved === undefined || typeof resolved === 'string') {
        const why = resolved ?? `llm.providers has no entry "${fallback.provider}" (configured: ${idList(written)})`;
        sources.logger.warn(`llm.fallbacks names "${fallback.provider}", which cannot be used; skipping it`, { problem: why });
        continue;
      }
      entries.set(fallback.provider, resolved);
      fallbacks.push(fallback);
    }
    return new ProviderChain(entries, primary, fallbacks, written, sources);
  }

  /** The candidates for one call, in order: the requested (or default) one, then the fallbacks. */
  candidatesFor(requestedModel: string | undefined): readonly ChainLink[] {
    const key = requestedModel ?? '';
    let links = this.linksByModel.get(key);
    if (links === undefined) {
      links = this.workOutCandidates(requestedModel);
      if (this.linksByModel.size >= MAX_CACHED_MODELS) this.linksByModel.clear();
      this.linksByModel.set(key, links);
    }
    return links;
  }

  private workOutCandidates(requestedModel: string | undefined): readonly ChainLink[] {
    const requested: { readonly provider?: string; readonly model?: string } = requestedModel
      ? splitProviderModel(requestedModel, (id) => this.entries.has(id))
      : {};
    const first = { provider: requested.provider ?? this.primary, model: requested.model };
    const links: ChainLink[] = [];
    for (const [index, wanted] of [first, ...this.fallbacks].entries()) {
      const resolved = this.entries.get(wanted.provider)!;
      const model = wanted.model ?? resolved.entry.defaultModel ?? resolved.factory.defaultModel;
      if (model === undefined) {
        const message =
          `llm.providers.${wanted.provider} sets no default_model, and its type "${resolved.entry.type}" has none. ` +
          `Set llm.providers.${wanted.provider}.default_model, or ask for "${wanted.provider}/<model>".`;
        if (index === 0) throw new NoProviderError('no_model', message);
        continue;
      }
      if (links.some((l) => l.candidate.provider === wanted.provider && l.candidate.model === model)) continue;
      links.push(Object.freeze({ ...resolved, candidate: Object.freeze({ provider: wanted.provider, model }) }));
    }
    return Object.freeze(links);
  }
}

function idList(entries: readonly ProviderEntrySettings[]): string {
  return entries.length > 0 ? entries.map((e) => e.id).join(', ') : 'none';
}

async function entriesToResolve(settings: LlmSettings, sources: ChainSources): Promise<ProviderEntrySettings[]> {
  const entries = [...settings.entries];
  const named = [settings.defaultProvider, ...settings.fallbacks.map((f) => f.provider)];
  for (const id of named) {
    if (id !== undefined && !entries.some((e) => e.id === id) && sources.knownTypes.includes(id)) entries.push({ id, type: id });
  }
  if (entries.length > 0 || settings.defaultProvider !== undefined) return entries;
  for (const type of sources.knownTypes) {
    const factory = await sources.factory(type);
    if (factory?.apiKeyEnv && sources.env[factory.apiKeyEnv]?.trim()) entries.push({ id: type, type });
  }
  return entries;
}

async function keyVariables(sources: ChainSources): Promise<string[]> {
  const vars: string[] = [];
  for (const type of sources.knownTypes) {
    const factory = await sources.factory(type);
    if (factory?.apiKeyEnv) vars.push(factory.apiKeyEnv);
  }
  return vars;
}

/** The entry with its factory and env key, or a message saying why it cannot be used. */
async function resolveEntry(settings: ProviderEntrySettings, sources: ChainSources): Promise<ResolvedEntry | string> {
  const factory = await sources.factory(settings.type);
  if (factory === undefined) {
    const known = sources.knownTypes.length > 0 ? sources.knownTypes.join(', ') : 'none (no provider plugin is enabled)';
    const how = settings.type === settings.id ? `Set llm.providers.${settings.id}.type` : `Change llm.providers.${settings.id}.type`;
    return `llm.providers.${settings.id} needs provider type "${settings.type}", but no enabled plugin provides it; known types: ${known}. ${how} to one of them, or enable the plugin that provides "${settings.type}".`;
  }
  const apiKey = settings.apiKey ?? (factory.apiKeyEnv ? sources.env[factory.apiKeyEnv]?.trim() || undefined : undefined);
  const entry: LlmProviderEntry = { id: settings.id, type: settings.type, apiKey, baseUrl: settings.baseUrl, defaultModel: settings.defaultModel };
  return { entry, factory, settings };
}
