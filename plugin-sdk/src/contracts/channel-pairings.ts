import { createToken } from './tokens.js';

/**
 * Pairing: under `dm_policy: pairing`, an unknown direct-message sender is given a one-time
 * code instead of an answer; the operator approves it (`nexus channels pair approve <channel>
 * <code>`) and the sender is let in from then on. Kept in the database by the storage slot's
 * occupant, so approvals survive restarts and are shared by gateways on one database.
 *
 * Each (channel, account, sender) has at most one request at a time: asking again after an
 * expiry or a denial replaces the old one with a fresh code.
 */
export interface PairingRequest {
  readonly channel: string;
  readonly accountId: string;
  readonly senderId: string;
  /** How the platform names the sender, shown to the operator in `pair list`. */
  readonly senderName?: string;
  /**
   * `PAIRING_CODE_LENGTH` characters of `PAIRING_CODE_ALPHABET` (no 0/O, 1/I), drawn from a
   * cryptographic source; unique among pending requests of every channel.
   */
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
   * An approved sender gets its approval back (`created: false`); a denied or expired one a new
   * code. Concurrent calls for one sender agree on one code.
   */
  request(input: { readonly channel: string; readonly accountId: string; readonly senderId: string; readonly senderName?: string; readonly ttlMs: number }): Promise<{ readonly request: PairingRequest; readonly created: boolean }>;
  /** Whether the operator approved this sender on this account. */
  isApproved(channel: string, accountId: string, senderId: string): Promise<boolean>;
  /**
   * Decides a pending, unexpired code; undefined when no such code is pending on that channel
   * (unknown, expired or already decided). The code is compared after `normalizePairingCode`,
   * so `abcd-efgh` finds `ABCDEFGH`.
   */
  decide(channel: string, code: string, decision: 'approved' | 'denied'): Promise<PairingRequest | undefined>;
  /**
   * Requests of a channel (all channels when absent), newest first. Expired pending requests
   * are left out: their codes no longer work, and the sender gets a new one by writing again.
   */
  list(options?: { readonly channel?: string; readonly status?: PairingRequest['status'] }): Promise<readonly PairingRequest[]>;
  /** Withdraws an approval; whether there was one. The sender is back to asking for a code. */
  revoke(channel: string, accountId: string, senderId: string): Promise<boolean>;
}

/** Letters and digits that cannot be misread for one another (no 0/O, no 1/I): 32 of them. */
export const PAIRING_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** 8 characters of 32: 40 random bits, so guessing a pending code within its lifetime is hopeless. */
export const PAIRING_CODE_LENGTH = 8;

/** A code as typed by an operator (any case, spaces and dashes) in the stored form. */
export function normalizePairingCode(code: string): string {
  return code.replace(/[\s-]+/g, '').toUpperCase();
}

export const ChannelPairingStoreToken = createToken<ChannelPairingStore>('nexus.store.channel-pairings');
