import type { Clock, InboundClaim, InboundReceipt, InboundReceiptStore, NewInboundReceipt } from '@nexus/plugin-sdk';
import { checkInstant, checkName, checkNewReceipt, checkWindow } from '@nexus/plugin-sdk/storage';

/** Receipts by (channel, account, external id); JavaScript runs one claim at a time, so each is atomic. */
export class MemoryInboundReceiptStore implements InboundReceiptStore {
  private readonly receipts = new Map<string, InboundReceipt>();

  constructor(private readonly clock: Clock) {}

  async claim(receipt: NewInboundReceipt, options: { readonly windowMs: number }): Promise<InboundClaim> {
    const checked = checkNewReceipt(receipt);
    const windowMs = checkWindow(options?.windowMs);
    const key = keyOf(checked.channel, checked.accountId, checked.externalId);
    const now = this.clock.now();
    const earlier = this.receipts.get(key);
    if (earlier && earlier.receivedAt > now - windowMs) return { claimed: false, original: { ...earlier } };
    this.receipts.set(key, { ...checked, receivedAt: now });
    return { claimed: true };
  }

  async prune(channel: string, before: number): Promise<number> {
    const name = checkName('channel', channel);
    const cutoff = checkInstant('before', before);
    let pruned = 0;
    for (const [key, receipt] of this.receipts) {
      if (receipt.channel === name && receipt.receivedAt < cutoff) {
        this.receipts.delete(key);
        pruned += 1;
      }
    }
    return pruned;
  }
}

/** NUL cannot occur in stored text, so it separates the parts unambiguously. */
function keyOf(channel: string, accountId: string, externalId: string): string {
  return `${channel}\u0000${accountId}\u0000${externalId}`;
}
