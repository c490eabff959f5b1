import { validate, version } from 'uuid';
import { describe, expect, it } from 'vitest';
import { isUuid, UuidV7Generator } from '@nexus/plugin-sdk/storage';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('UUIDv7 ids', () => {
  it('carry the millisecond timestamp, version 7 and the RFC variant', () => {
    const id = new UuidV7Generator().next(Date.UTC(2025, 0, 2, 3, 4, 5, 678));
    expect(id).toMatch(V7);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.UTC(2025, 0, 2, 3, 4, 5, 678));
    expect(isUuid(id)).toBe(true);
  });

  it('sort in the order they were made, within one millisecond and past 4096 of them', () => {
    const ids = new UuidV7Generator();
    const made = Array.from({ length: 10_000 }, () => ids.next(1_700_000_000_000));
    expect(new Set(made).size).toBe(made.length);
    expect([...made].sort()).toEqual(made);
    expect(made.every((id) => V7.test(id))).toBe(true);
  });

  it('keep their own millisecond for 20,000 ids made within it', () => {
    // A 12-bit counter ran out after 4096 ids and borrowed later milliseconds, so ids claimed a
    // time up to ~25 ms ahead of the clock; uuid's 32-bit counter does not run out.
    const ids = new UuidV7Generator();
    const made = Array.from({ length: 20_000 }, () => ids.next(1_700_000_000_000));
    const stamps = new Set(made.map((id) => Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)));
    expect([...stamps]).toEqual([1_700_000_000_000]);
    expect([...made].sort()).toEqual(made);
  });

  it('are version-7 RFC 9562 UUIDs by the uuid package\'s own checks', () => {
    const id = new UuidV7Generator().next();
    expect(validate(id)).toBe(true);
    expect(version(id)).toBe(7);
  });

  it('stay ordered when the clock steps back', () => {
    const ids = new UuidV7Generator();
    const later = ids.next(1_700_000_005_000);
    const earlier = ids.next(1_700_000_000_000);
    expect(earlier > later).toBe(true);
  });

  it('are unique across generators', () => {
    const a = new UuidV7Generator();
    const b = new UuidV7Generator();
    const ids = new Set(Array.from({ length: 2000 }, (_, i) => (i % 2 ? a : b).next(1_700_000_000_000)));
    expect(ids.size).toBe(2000);
  });

  it('recognises UUIDs and nothing else', () => {
    expect(isUuid('0190A4D2-0000-7000-8000-000000000000')).toBe(true);
    for (const value of ['', '42', '0190a4d2-0000-7000-8000-00000000000', '0190a4d2-0000-7000-8000-000000000000 ', 42, null]) expect(isUuid(value)).toBe(false);
  });
});
