import { describe, expect, it } from 'vitest';
import { ReplayGuard } from '../../../src/builtin-plugins/webhook/replay-guard.js';
import { sign, verifySignature } from '../../../src/builtin-plugins/webhook/signature.js';

describe('replay guard', () => {
  it('remembers a request until its timestamp leaves the window', () => {
    const guard = new ReplayGuard(300_000);
    const t = 1_700_000_000_000;
    expect(guard.seenBefore('a', t)).toBe(false);
    expect(guard.remember('a', t, t)).toBe(true);
    expect(guard.seenBefore('a', t + 299_999)).toBe(true);
    expect(guard.seenBefore('a', t + 300_000)).toBe(false);
  });

  it('refuses to remember more than its capacity rather than forget early', () => {
    const guard = new ReplayGuard(1000, 2);
    expect(guard.remember('a', 0, 0)).toBe(true);
    expect(guard.remember('b', 0, 0)).toBe(true);
    expect(guard.remember('c', 0, 0)).toBe(false);
    expect(guard.seenBefore('a', 10)).toBe(true);
    // Once the window has passed, room frees up.
    expect(guard.remember('c', 2000, 2000)).toBe(true);
  });
});

describe('webhook signatures', () => {
  const body = new TextEncoder().encode('{"a":1}');

  it('verifies its own signature and rejects any change to secret, timestamp or body', () => {
    const signature = sign('secret', '100', body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature('secret', '100', body, signature)).toBe(true);
    expect(verifySignature('secret', '100', body, signature.toUpperCase().replace('SHA256=', 'sha256='))).toBe(true);
    expect(verifySignature('Secret', '100', body, signature)).toBe(false);
    expect(verifySignature('secret', '101', body, signature)).toBe(false);
    expect(verifySignature('secret', '100', new TextEncoder().encode('{"a":2}'), signature)).toBe(false);
  });

  it('rejects malformed headers without throwing', () => {
    for (const header of ['', 'sha256=', 'sha1=abc', `sha256=${'0'.repeat(63)}`, `sha256=${'g'.repeat(64)}`, 'garbage']) {
      expect(verifySignature('secret', '100', body, header)).toBe(false);
    }
  });
});
