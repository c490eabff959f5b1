import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-nexus-timestamp';
export const SIGNATURE_HEADER = 'x-nexus-signature';
export const DELIVERY_HEADER = 'x-nexus-delivery';

/** HMAC-SHA256 over `<timestamp>.<raw body>`: binding the timestamp in stops it being swapped. */
function digest(secret: string, timestamp: string, body: Uint8Array): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

/** The `x-nexus-signature` value for a body sent at `timestamp` (unix seconds). */
export function sign(secret: string, timestamp: string, body: Uint8Array): string {
  return `sha256=${digest(secret, timestamp, body).toString('hex')}`;
}

/** Whether `header` is a valid signature of the body, compared in constant time. */
export function verifySignature(secret: string, timestamp: string, body: Uint8Array, header: string): boolean {
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!match) return false;
  return timingSafeEqual(digest(secret, timestamp, body), Buffer.from(match[1]!, 'hex'));
}
