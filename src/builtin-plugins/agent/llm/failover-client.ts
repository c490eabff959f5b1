import { setTimeout as sleep } from 'node:timers/promises';
import type { LlmProvider, ProviderCandidate, ProviderError } from '@nexus/plugin-sdk';
import { ProviderChain, type ChainLink } from './candidate-chain.js';
import { Cooldowns } from './cooldowns.js';
import { DEFAULT_POLICY, type NextStep } from './failover-policy.js';
import { ModelCallStream, type AttemptHost, type CallCandidates } from './model-call-stream.js';
import { cancellationOf, type Cancellation } from './cancellation.js';
import type { FailoverPolicy, ModelClient, ModelClientOptions, ModelClientTime, ModelRequest, ModelStreamEvent } from './model-client.js';
import { readLlmSettings } from '@nexus/plugin-sdk/provider';

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

  stream(request: ModelRequest, callOptions: { readonly signal: AbortSignal | Cancellation; readonly iteration: number }): AsyncIterableIterator<ModelStreamEvent> {
    return new ModelCallStream(this.attempts, request, cancellationOf(callOptions.signal), callOptions.iteration);
  }

  /** What each call's stream asks of this client. */
  private readonly attempts: AttemptHost = {
    links: async (request) => this.withoutCoolingProviders(await (await this.resolveChain()).candidatesForRequest(request.model)),
    policyFor: (link) => this.policyFor(link),
    providerFor: (link) => this.providerFor(link),
    succeeded: (link) => this.cooldowns.succeeded(link.candidate.provider),
    failed: (candidate, error, step, attempt, iteration, setup) => this.reportFailure(candidate, error, step, attempt, iteration, setup),
    sleep: (ms, signal) => this.time.sleep(ms, signal),
    random: () => this.time.random(),
    logInfo: (message, fields) => this.options.logger.info(message, fields),
  };

  private resolveChain(): Promise<ProviderChain> {
    const { llm, factory, knownTypes, logger } = this.options;
    this.chain ??= ProviderChain.resolve(llm, { factory, knownTypes, logger, env: this.options.env ?? process.env });
    // A failed resolution is not kept: the next turn explains the problem again.
    this.chain.catch(() => (this.chain = undefined));
    return this.chain;
  }

  /** Cooling providers are skipped while some candidate is not cooling; if all are, all are tried. */
  private withoutCoolingProviders(links: readonly ChainLink[]): CallCandidates {
    if (!this.cooldowns.any()) return { links, skipped: [] };
    const ready = links.filter((link) => this.cooldowns.remainingMs(link.candidate.provider) === 0);
    if (ready.length === links.length || ready.length === 0) return { links, skipped: [] };
    const skipped = [];
    for (const link of links) {
      const left = this.cooldowns.remainingMs(link.candidate.provider);
      if (left === 0) continue;
      this.options.logger.info('skipping a provider in cooldown', { ...link.candidate, cooldownLeftMs: left });
      skipped.push({ provider: link.candidate.provider, why: this.cooldowns.describe(link.candidate.provider) });
    }
    return { links: ready, skipped };
  }

  /** Per link, since the chain's links are kept for the client's life: a policy is asked for on every attempt. */
  private readonly policies = new WeakMap<ChainLink, FailoverPolicy>();

  private policyFor(link: ChainLink): FailoverPolicy {
    let policy = this.policies.get(link);
    if (policy === undefined) {
      const { maxRetries, timeoutMs } = link.settings;
      policy = { ...this.policy, ...(maxRetries === undefined ? {} : { maxRetries }), ...(timeoutMs === undefined ? {} : { timeoutMs }) };
      this.policies.set(link, policy);
    }
    return policy;
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

  private async reportFailure(candidate: ProviderCandidate, error: ProviderError, step: NextStep, attempt: number, iteration: number, setup: boolean): Promise<void> {
    const cooling = !setup && this.cooldowns.failed(candidate.provider, error.reason);
    // Only the fields the failure has: a log line reading `status=undefined` says nothing.
    this.options.logger.warn(setup ? 'skipping a provider that cannot be set up' : 'model call failed', {
      ...candidate,
      attempt,
      iteration,
      reason: error.reason,
      ...(error.status === undefined ? {} : { status: error.status }),
      ...(error.code === undefined ? {} : { code: error.code }),
      ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
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
