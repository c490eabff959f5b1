import { STORE_LIMITS, ValidationError, type NewInboundReceipt } from '../contracts/index.js';
import { checkName, checkText } from './value-checks.js';

/** A receipt to claim, checked as every store checks text. */
export function checkNewReceipt(receipt: NewInboundReceipt): NewInboundReceipt {
  if (typeof receipt !== 'object' || receipt === null) throw new ValidationError('receipt', 'must be an object');
  return {
    channel: checkName('receipt.channel', receipt.channel),
    accountId: checkName('receipt.accountId', receipt.accountId),
    externalId: checkText('receipt.externalId', receipt.externalId, { maxChars: STORE_LIMITS.shortTextChars }),
    messageId: checkText('receipt.messageId', receipt.messageId, { maxChars: STORE_LIMITS.shortTextChars }),
  };
}

/** The de-duplication window: a whole, positive number of milliseconds. */
export function checkWindow(windowMs: unknown): number {
  if (!Number.isSafeInteger(windowMs) || (windowMs as number) < 1) throw new ValidationError('options.windowMs', `${String(windowMs)} is not a whole, positive number of milliseconds`);
  return windowMs as number;
}

/** A point in time to prune before: milliseconds since the epoch. */
export function checkInstant(field: string, value: unknown): number {
  if (!Number.isFinite(value)) throw new ValidationError(field, `${String(value)} is not a time in milliseconds`);
  return value as number;
}
