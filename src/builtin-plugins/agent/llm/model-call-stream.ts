import { isProviderError, ProviderError, type LlmProvider, type LlmStreamEvent, type ProviderCandidate } from '@nexus/plugin-sdk';
import type { Cancellation } from './cancellation.js';
import type { ChainLink } from './candidate-chain.js';
import { nextStep, type NextStep } from './failover-policy.js';
import { guardedStream, StreamTimeoutError } from './guarded-stream.js';
import type { FailoverPolicy, ModelRequest, ModelStreamEvent } from './model-client.js';

/** A candidate the call did not try, and why: it is cooling down, or it cannot be set up (no API key). */
export interface SkippedCandidate {
  readonly provider: string;
  readonly why: string;
}

/** The candidates one call tries, in order, and those it leaves out. */
export interface CallCandidates {
  readonly links: readonly ChainLink[];
  /** Cooling providers left out because another candidate is ready. */
  readonly skipped: readonly SkippedCandidate[];
}

/** What one model call needs from the client that made it: the chain, providers, cooldowns, time. */
export interface AttemptHost {
  links(request: ModelRequest): Promise<CallCandidates>;
  policyFor(link: ChainLink): FailoverPolicy;
  providerFor(link: ChainLink): LlmProvider;
  succeeded(link: ChainLink): void;
  /**
   * Records a failed attempt (cooldown, log, `provider.failed`). A candidate that could not be set
   * up (`setup`: its provider's `create` threw, e.g. no API key) is skipped, never put on cooldown:
   * the next call finds the same config, and waiting changes nothing.
   */
  failed(candidate: ProviderCandidate, error: ProviderError, step: NextStep, attempt: number, iteration: number, setup: boolean): Promise<void>;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  random(): number;
  logInfo(message: string, fields: Record<string, unknown>): void;
}

const FINISHED: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

type Phase = 'next-attempt' | 'announced' | 'streaming' | 'over';

/**
 * One model call through the failover chain: announce an attempt, stream the provider's events,
 * and on a failure retry (after a backoff), fail over to the next candidate, or give up. See
 * `ModelClient.stream` for the contract.
 *
 * A hand-written iterator rather than an async generator: while a provider streams (nearly all
 * of a call's events), `next()` hands the guarded provider step straight on, instead of a
 * generator's await and yield per event on top of it, which were a measurable share of a turn.
 * The rare paths (resolving the chain, failures, backoff) are plain async code.
 */
export class ModelCallStream implements AsyncIterableIterator<ModelStreamEvent> {
  private phase: Phase = 'next-attempt';
  private links: readonly ChainLink[] | undefined;
  /** Candidates left out or passed over, named in the error if the call fails. */
  private readonly skipped: SkippedCandidate[] = [];
  private index = 0;
  private attempt = 0;
  /** Text or a tool call of the current attempt reached the caller. */
  private delivered = false;
  private current: AsyncIterableIterator<LlmStreamEvent> | undefined;
  /** A backoff to wait out before the next attempt, after its notice was handed out. */
  private backoffMs: number | undefined;

  private readonly onStep = (step: IteratorResult<LlmStreamEvent>): IteratorResult<ModelStreamEvent> => {
    if (step.done) {
      this.current = undefined;
      this.phase = 'over';
      this.host.succeeded(this.link());
      return FINISHED;
    }
    const type = step.value.type;
    if (type === 'text_delta' || type === 'tool_call') this.delivered = true;
    return step;
  };

  private readonly onFailure = (raw: unknown): Promise<IteratorResult<ModelStreamEvent>> => this.afterFailure(raw);

  constructor(
    private readonly host: AttemptHost,
    private readonly request: ModelRequest,
    private readonly cancellation: Cancellation,
    private readonly iteration: number,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<ModelStreamEvent>> {
    switch (this.phase) {
      case 'streaming':
        return this.current!.next().then(this.onStep, this.onFailure);
      case 'announced':
        return this.openAttempt();
      case 'next-attempt':
        return this.guard(this.announceAttempt());
      case 'over':
        return Promise.resolve(FINISHED);
    }
  }

  /** The caller stops reading: the provider's request is stopped, and nothing more is tried. */
  return(): Promise<IteratorResult<ModelStreamEvent>> {
    this.phase = 'over';
    const current = this.current;
    this.current = undefined;
    void current?.return?.().catch(() => undefined);
    return Promise.resolve(FINISHED);
  }

  private link(): ChainLink {
    return this.links![this.index]!;
  }

  /** Waits out a pending backoff, then hands out the next attempt's notice; the provider is called on the next step. */
  private async announceAttempt(): Promise<IteratorResult<ModelStreamEvent>> {
    if (this.links === undefined) {
      const candidates = await this.host.links(this.request);
      this.links = candidates.links;
      this.skipped.push(...candidates.skipped);
    }
    if (this.backoffMs !== undefined) {
      const ms = this.backoffMs;
      this.backoffMs = undefined;
      await this.host.sleep(ms, this.cancellation.signal).catch((sleepError: unknown) => {
        throw this.cancellation.aborted ? this.cancellation.reason : sleepError;
      });
    }
    if (this.cancellation.aborted) throw this.cancellation.reason;
    this.attempt++;
    this.delivered = false;
    this.phase = 'announced';
    return { done: false, value: { type: 'attempt', candidate: this.link().candidate, attempt: this.attempt, iteration: this.iteration } };
  }

  private openAttempt(): Promise<IteratorResult<ModelStreamEvent>> {
    const link = this.link();
    const { candidate } = link;
    this.host.logInfo('model call', { provider: candidate.provider, model: candidate.model, attempt: this.attempt, iteration: this.iteration });
    let provider: LlmProvider;
    try {
      provider = this.host.providerFor(link);
    } catch (error) {
      return this.afterFailure(error, true);
    }
    const { timeoutMs } = this.host.policyFor(link);
    const request = { ...this.request, model: candidate.model };
    this.current = guardedStream<LlmStreamEvent>((signal) => provider.stream(request, { signal, timeoutMs }), { cancellation: this.cancellation, timeoutMs });
    this.phase = 'streaming';
    return this.current.next().then(this.onStep, this.onFailure);
  }

  /** Decides what a failed attempt leads to: a notice (retry or failover) or the call failing. */
  private afterFailure(raw: unknown, setup = false): Promise<IteratorResult<ModelStreamEvent>> {
    this.current = undefined;
    return this.guard(this.nextAfter(raw, setup));
  }

  private async nextAfter(raw: unknown, setup: boolean): Promise<IteratorResult<ModelStreamEvent>> {
    if (this.cancellation.aborted) throw this.cancellation.reason;
    const link = this.link();
    const next = this.links![this.index + 1];
    const policy = this.host.policyFor(link);
    const error = asProviderError(raw, link.candidate);
    // A candidate that cannot be set up is passed over at once: retrying it would fail the same way.
    const step: NextStep = setup
      ? { kind: next === undefined ? 'give_up' : 'failover' }
      : nextStep({ error, attempt: this.attempt, delivered: this.delivered, hasNextCandidate: next !== undefined }, policy, () => this.host.random());
    await this.host.failed(link.candidate, error, step, this.attempt, this.iteration, setup);
    if (step.kind === 'give_up') throw withSkipped(error, this.skipped);
    if (setup) this.skipped.push({ provider: link.candidate.provider, why: error.message });
    const notice = { type: 'failover', from: link.candidate, reason: error.reason, message: error.message } as const;
    this.phase = 'next-attempt';
    if (step.kind === 'failover') {
      this.index++;
      this.attempt = 0;
      return { done: false, value: { ...notice, to: next!.candidate } };
    }
    this.backoffMs = step.delayMs;
    return { done: false, value: { ...notice, to: link.candidate, retryInMs: step.delayMs } };
  }

  /** A step that throws ends the call: later steps report it finished, as a generator would. */
  private guard(step: Promise<IteratorResult<ModelStreamEvent>>): Promise<IteratorResult<ModelStreamEvent>> {
    return step.catch((error: unknown) => {
      this.phase = 'over';
      throw error;
    });
  }
}

/** The error a failed call ends with, naming the candidates it skipped so the user learns why they were not tried. */
function withSkipped(error: ProviderError, skipped: readonly SkippedCandidate[]): ProviderError {
  const others = skipped.filter((s) => s.provider !== error.provider);
  if (others.length === 0) return error;
  const list = others.map((s) => `${s.provider} (${s.why})`).join('; ');
  return new ProviderError({ ...error, message: `${error.message}; skipped: ${list}`, cause: error.cause });
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
