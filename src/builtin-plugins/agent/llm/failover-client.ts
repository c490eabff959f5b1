import { setTimeout as sleep } from 'node:timers/promises';
import {
  isProviderError,
  ProviderError,
  type LlmProvider,
  type LlmStreamEvent,
  type ProviderCandidate,
} from '../../../contracts/index.js';
import { ProviderChain, type ChainLink } from './candidate-chain.js';
import { Cooldowns } from './cooldowns.js';
import { DEFAULT_POLICY, nextStep, type NextStep } from './failover-policy.js';
import { guardedStream, StreamTimeoutError } from './guarded-stream.js';
import type { FailoverPolicy, ModelClient, ModelClientOptions, ModelClientTime, ModelRequest, ModelStreamEvent } from './model-client.js';
import { readLlmSettings } from './llm-settings.js';

const REAL_TIME: ModelClientTime = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, undefined, { signal }),
  random: () => Math.random(),
};

/** Creates the client the runtime streams model calls through. See `ModelClient`. */
export function createModelClient(options: ModelClientOptions): ModelClient {
  return new FailoverModelClient(options);
}

class FailoverModelClient implements ModelClient {
  private readonly time: ModelClientTime;
  private readonly policy: FailoverPolicy;
  private readonly cooldowns: Cooldowns;
  private readonly providers = new Map<string, LlmProvider>();
  private chain: Promise<ProviderChain> | undefined;

  constructor(private readonly options: ModelClientOptions) {
    this.time = { ...REAL_TIME, ...options.time };
    const cooldownMs = readLlmSettings(options.llm).cooldownMs;
    this.policy = { ...DEFAULT_POLICY, ...options.policy, ...(cooldownMs === undefined ? {} : { cooldownMs }) };
    this.cooldowns = new Cooldowns(this.policy.cooldownAfterFailures, this.policy.cooldownMs, () => this.time.now());
  }

  async *stream(request: ModelRequest, callOptions: { readonly signal: AbortSignal; readonly iteration: number }): AsyncGenerator<ModelStreamEvent> {
    const { signal, iteration } = callOptions;
    const links = this.withoutCoolingProviders((await this.resolveChain()).candidatesFor(request.model));
    for (const [index, link] of links.entries()) {
      const next = links[index + 1];
      const policy = this.policyFor(link);
      for (let attempt = 1; ; attempt++) {
        if (signal.aborted) throw signal.reason;
        yield { type: 'attempt', candidate: link.candidate, attempt, iteration };
        this.options.logger.info('model call', { provider: link.candidate.provider, model: link.candidate.model, attempt, iteration });
        let delivered = false;
        try {
          const provider = this.providerFor(link);
          const events = guardedStream<LlmStreamEvent>((s) => provider.stream({ ...request, model: link.candidate.model }, { signal: s, timeoutMs: policy.timeoutMs }), {
            signal,
            timeoutMs: policy.timeoutMs,
          });
          for await (const event of events) {
            if (event.type === 'text_delta' || event.type === 'tool_call') delivered = true;
            yield event;
          }
          this.cooldowns.succeeded(link.candidate.provider);
          return;
        } catch (raw) {
          if (signal.aborted) throw signal.reason;
          const error = asProviderError(raw, link.candidate);
          const step = nextStep({ error, attempt, delivered, hasNextCandidate: next !== undefined }, policy, () => this.time.random());
          await this.reportFailure(link.candidate, error, step, attempt, iteration);
          if (step.kind === 'give_up') throw error;
          const notice = { type: 'failover', from: link.candidate, reason: error.reason, message: error.message } as const;
          if (step.kind === 'failover') {
            yield { ...notice, to: next!.candidate };
            break;
          }
          yield { ...notice, to: link.candidate, retryInMs: step.delayMs };
          await this.time.sleep(step.delayMs, signal).catch((sleepError: unknown) => {
            throw signal.aborted ? signal.reason : sleepError;
          });
        }
      }
    }
  }

  private resolveChain(): Promise<ProviderChain> {
    const { llm, factory, knownTypes, logger } = this.options;
    this.chain ??= ProviderChain.resolve(llm, { factory, knownTypes, logger, env: this.options.env ?? process.env });
    // A failed resolution is not kept: the next turn explains the problem again.
    this.chain.catch(() => (this.chain = undefined));
    return this.chain;
  }

  /** Cooling providers are skipped while some candidate is not cooling; if all are, all are tried. */
  private withoutCoolingProviders(links: readonly ChainLink[]): readonly ChainLink[] {
    if (!this.cooldowns.any()) return links;
    const ready = links.filter((link) => this.cooldowns.remainingMs(link.candidate.provider) === 0);
    if (ready.length === links.length || ready.length === 0) return links;
    for (const link of links) {
      const left = this.cooldowns.remainingMs(link.candidate.provider);
      if (left > 0) this.options.logger.info('skipping a provider in cooldown', { ...link.candidate, cooldownLeftMs: left });
    }
    return ready;
  }

  private policyFor(link: ChainLink): FailoverPolicy {
    const { maxRetries, timeoutMs } = link.settings;
    return { ...this.policy, ...(maxRetries === undefined ? {} : { maxRetries }), ...(timeoutMs === undefined ? {} : { timeoutMs }) };
  }

  /** Providers are created on first use and kept; a failed `create` is retried next time. */
  private providerFor(link: ChainLink): LlmProvider {
    const id = link.candidate.provider;
    let provider = this.providers.get(id);
    if (provider === undefined) {
      provider = link.factory.create(link.entry);
      this.providers.set(id, provider);
    }
    return provider;
  }

  private async reportFailure(candidate: ProviderCandidate, error: ProviderError, step: NextStep, attempt: number, iteration: number): Promise<void> {
    const cooling = this.cooldowns.failed(candidate.provider, error.reason);
    this.options.logger.warn('model call failed', {
      ...candidate,
      attempt,
      iteration,
      reason: error.reason,
      status: error.status,
      code: error.code,
      requestId: error.requestId,
      error: error.message,
      next: step.kind,
      ...(step.kind === 'retry' ? { retryInMs: step.delayMs } : {}),
      ...(cooling ? { cooldownMs: this.policy.cooldownMs } : {}),
    });
    await this.options.hooks.emit('provider.failed', {
      provider: candidate.provider,
      model: candidate.model,
      reason: error.reason,
      status: error.status,
      next: step.kind,
    });
  }
}

/** Any failure as a `ProviderError` for `candidate`: timeouts, provider bugs and all. */
function asProviderError(raw: unknown, candidate: ProviderCandidate): ProviderError {
  if (isProviderError(raw)) {
    if (raw.provider === candidate.provider && raw.model !== undefined) return raw;
    return new ProviderError({ ...raw, message: raw.message, provider: candidate.provider, model: raw.model ?? candidate.model, cause: raw.cause });
  }
  if (raw instanceof StreamTimeoutError) {
    return new ProviderError({ reason: 'timeout', provider: candidate.provider, model: candidate.model, message: raw.message, cause: raw });
  }
  const message = raw instanceof Error ? raw.message : String(raw);
  return new ProviderError({ reason: 'unknown', provider: candidate.provider, model: candidate.model, message: `the provider failed unexpectedly: ${message}`, cause: raw });
}
