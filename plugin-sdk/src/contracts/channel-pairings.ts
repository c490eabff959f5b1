import { createToken } from './tokens.js';

/**
 * Pairing: under `dm_policy: pairing`, an unknown direct-message sender is given a one-time
 * code instead of an answer; the operator approves it (`nexus channels pair approve <channel>
 * <code>`) and the sender is let in from then on. Kept in the database by the storage slot's
 * occupant, so approvals survive restarts and are shared by gateways on one database.
 */
export interface PairingRequest {
  readonly channel: string;
  readonly accountId: string;
  readonly senderId: string;
  /** How the platform names the sender, shown to the operator in `pair list`. */
  readonly senderName?: string;
  readonly code: string;
  readonly status: 'pending' | 'approved' | 'denied';
  readonly requestedAt: number;
  /** A pending code stops working after this (ms since the epoch). */
  readonly expiresAt: number;
  readonly decidedAt?: number;
}

export interface ChannelPairingStore {
  /**
   * The sender's pending request: the existing one while it is pending and unexpired (so a
   * sender who writes five times gets one code), else a new one with a fresh code valid for
   * `ttlMs`. `created` says whether the code is new (so the channel tells the sender once).
   */
  request(input: { readonly channel: string; readonly accountId: string; readonly senderId: string; readonly senderName?: string; readonly ttlMs: number }): Promise<{ readonly request: PairingRequest; readonly created: boolean }>;
  /** Whether the operator approved this sender on this account. */
  isApproved(channel: string, accountId: string, senderId: string): Promise<boolean>;
  /** Decides a pending, unexpired code; undefined when no such code is pending. */
  decide(channel: string, code: string, decision: 'approved' | 'denied'): Promise<PairingRequest | undefined>;
  /** Requests of a channel (all channels when absent), newest first. */
  list(options?: { readonly channel?: string; readonly status?: PairingRequest['status'] }): Promise<readonly PairingRequest[]>;
  /** Withdraws an approval; whether there was one. */
  revoke(channel: string, accountId: string, senderId: string): Promise<boolean>;
}

export const ChannelPairingStoreToken = createToken<ChannelPairingStore>('nexus.store.channel-pairings');
