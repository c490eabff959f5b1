import type { ProviderFailureReason } from '@nexus/plugin-sdk';

// Failures caused by the request itself say nothing about the provider's health.
const REQUEST_FAULTS: ReadonlySet<ProviderFailureReason> = new Set(['invalid_request', 'context_length', 'content_filter']);

/**
 * Per-provider cooldown: after `threshold` consecutive failed attempts a provider is skipped for
 * `durationMs`, so turns go straight to a fallback instead of waiting out the same failures again.
 */
export class Cooldowns {
  private readonly failures = new Map<string, number>();
  private readonly until = new Map<string, number>();
  /** The failure that started each provider's cooldown, to say why it is skipped. */
  private readonly causes = new Map<string, ProviderFailureReason>();

  constructor(
    private readonly threshold: number,
    private readonly durationMs: number,
    private readonly now: () => number,
  ) {}

  /** Records a failed attempt; true when this failure started a cooldown. */
  failed(provider: string, reason: ProviderFailureReason): boolean {
    if (REQUEST_FAULTS.has(reason) || this.threshold <= 0) return false;
    const count = (this.failures.get(provider) ?? 0) + 1;
    this.failures.set(provider, count);
    if (count < this.threshold) return false;
    this.failures.set(provider, 0);
    this.until.set(provider, this.now() + this.durationMs);
    this.causes.set(provider, reason);
    return true;
  }

  succeeded(provider: string): void {
    this.failures.delete(provider);
    this.until.delete(provider);
    this.causes.delete(provider);
  }

  /** Why a cooling provider is skipped, for logs and for the error a turn ends with. */
  describe(provider: string): string {
    const seconds = Math.ceil(this.remainingMs(provider) / 1000);
    return `cooling down for ${seconds} s more after ${this.threshold} failed attempts in a row, the last one ${this.causes.get(provider) ?? 'unknown'}`;
  }

  /** Whether some provider has a cooldown on record (possibly over): false lets a call skip checking each one. */
  any(): boolean {
    return this.until.size > 0;
  }

  /** Milliseconds of cooldown left, 0 when the provider may be used. */
  remainingMs(provider: string): number {
    const until = this.until.get(provider);
    return until === undefined ? 0 : Math.max(0, until - this.now());
  }
}
