import { createToken } from './tokens.js';

/**
 * That a channel received one message, kept so that the same message delivered again (a webhook
 * sender retrying, Telegram or Slack redelivering an update) runs one turn, not two, across
 * restarts too.
 */
export interface InboundReceipt {
  readonly channel: string;
  /** The account within the channel (a webhook endpoint, a bot). */
  readonly accountId: string;
  /** The channel's own id for the message (`InboundMessage.externalId`). */
  readonly externalId: string;
  /** The id the channel answered the first delivery with, to answer duplicates the same way. */
  readonly messageId: string;
  readonly receivedAt: number;
}

export type NewInboundReceipt = Omit<InboundReceipt, 'receivedAt'>;

/** What `claim` found: the message is new (now recorded), or a duplicate of `original`. */
export type InboundClaim = { readonly claimed: true } | { readonly claimed: false; readonly original: InboundReceipt };

/**
 * The de-duplication window every channel can use, kept by the storage slot's occupant in the
 * database (so it survives restarts and is shared by gateways on one database). Text fields are
 * checked as every store checks text (a `ValidationError` naming the field); ids are compared
 * exactly.
 */
export interface InboundReceiptStore {
  /**
   * Records that (channel, accountId, externalId) arrived now, as `messageId`, unless it already
   * arrived less than `windowMs` ago: then nothing changes and the earlier receipt comes back.
   * A receipt older than the window is replaced, as if it had never been. Atomic: of two
   * concurrent claims of one message, exactly one is `claimed`.
   */
  claim(receipt: NewInboundReceipt, options: { readonly windowMs: number }): Promise<InboundClaim>;
  /** Forgets the channel's receipts received before `before` (ms since the epoch); how many. */
  prune(channel: string, before: number): Promise<number>;
}

export const InboundReceiptStoreToken = createToken<InboundReceiptStore>('nexus.store.inbound-receipts');
