import { randomBytes } from 'node:crypto';
import { PAIRING_CODE_ALPHABET, PAIRING_CODE_LENGTH, ValidationError, normalizePairingCode, type PairingRequest } from '../contracts/index.js';
import { checkName, checkOptionalText } from './value-checks.js';

/** What `ChannelPairingStore.request` takes, checked as every store checks text. */
export interface CheckedPairingInput {
  readonly channel: string;
  readonly accountId: string;
  readonly senderId: string;
  readonly senderName?: string;
  readonly ttlMs: number;
}

export function checkPairingInput(input: unknown): CheckedPairingInput {
  if (typeof input !== 'object' || input === null) throw new ValidationError('input', 'must be an object');
  const value = input as Record<string, unknown>;
  const ttlMs = value.ttlMs;
  if (!Number.isSafeInteger(ttlMs) || (ttlMs as number) < 1) throw new ValidationError('input.ttlMs', `${String(ttlMs)} is not a whole, positive number of milliseconds`);
  const senderName = checkOptionalText('input.senderName', value.senderName);
  return {
    channel: checkName('input.channel', value.channel),
    accountId: checkName('input.accountId', value.accountId),
    senderId: checkName('input.senderId', value.senderId),
    ...(senderName ? { senderName } : {}),
    ttlMs: ttlMs as number,
  };
}

/** A decision is one of the two words; anything else is a caller's mistake, not a miss. */
export function checkDecision(decision: unknown): 'approved' | 'denied' {
  if (decision !== 'approved' && decision !== 'denied') throw new ValidationError('decision', `${String(decision)} is neither "approved" nor "denied"`);
  return decision;
}

/** The stored form of a code an operator typed, or undefined when it cannot be any code. */
export function checkPairingCode(code: unknown): string | undefined {
  const text = checkName('code', code);
  const normalized = normalizePairingCode(text);
  if (normalized.length !== PAIRING_CODE_LENGTH) return undefined;
  for (const character of normalized) if (!PAIRING_CODE_ALPHABET.includes(character)) return undefined;
  return normalized;
}

export function checkPairingStatus(status: unknown): PairingRequest['status'] | undefined {
  if (status === undefined) return undefined;
  if (status !== 'pending' && status !== 'approved' && status !== 'denied') throw new ValidationError('options.status', `${String(status)} is not pending, approved or denied`);
  return status;
}

/**
 * A fresh code: each character one of 32, from 5 bits of a random byte (32 divides 256, so
 * every character is equally likely).
 */
export function newPairingCode(): string {
  const bytes = randomBytes(PAIRING_CODE_LENGTH);
  let code = '';
  for (const byte of bytes) code += PAIRING_CODE_ALPHABET[byte & 31];
  return code;
}
