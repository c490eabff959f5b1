import { readFileSync, statSync } from 'node:fs';
import { hostPaths } from '../host/index.js';
import { writeAtomically } from '../host/index.js';
import type { ManifestResult } from '../manifest/index.js';
import type { ValidationCache } from '../schema/index.js';

/** Bumped whenever what the index stores changes shape. */
const INDEX_FORMAT = 3;
const MAX_VALIDATIONS = 1000;

interface IndexEntry {
  readonly mtimeMs: number;
  readonly size: number;
  readonly result: ManifestResult;
}

interface IndexFile {
  readonly key: string;
  readonly entries: Record<string, IndexEntry>;
  /** Each value JSON text: see `validations` below. */
  readonly validations?: Record<string, string>;
}

/**
 * What earlier runs worked out: parsed-and-validated manifests, keyed by path and checked
 * against mtime and size, and config that validated (keyed by a hash of schema and data, with
 * its defaults applied). A warm run then neither reads manifests nor loads the schema
 * validator. `key` ties the index to the host version and its schemas: a change starts afresh.
 */
export class DiscoveryIndex implements ValidationCache {
  private readonly entries: Map<string, IndexEntry>;
  /**
   * The defaults each validated input got, as JSON text: a config with thousands of entries
   * (cron jobs) has tens of thousands of them, and kept as objects for the whole run they cost
   * megabytes of heap, and the garbage collector's time, for a cache consulted only at (re)load.
   */
  private readonly validations: Map<string, string>;
  private readonly touched = new Set<string>();
  private dirty = false;

  private constructor(
    private readonly file: string | undefined,
    private readonly key: string,
    body: Partial<IndexFile>,
  ) {
    this.entries = new Map(Object.entries(body.entries ?? {}));
    this.validations = new Map(Object.entries(body.validations ?? {}));
  }

  /** The key an index is valid for: one index format, host version and version of each host schema. */
  static keyFor(hostVersion: string): string {
    const stamp = (path: string) => {
      const stats = statSync(path, { throwIfNoEntry: false });
      return `${stats?.mtimeMs ?? 0}:${stats?.size ?? 0}`;
    };
    return `${INDEX_FORMAT}:${hostVersion}:${stamp(hostPaths.manifestSchema)}:${stamp(hostPaths.configSchema)}`;
  }

  /** Opens the index at `file`; a missing, corrupt or stale file yields an empty index. */
  static open(file: string | undefined, key: string): DiscoveryIndex {
    if (!file) return new DiscoveryIndex(undefined, key, {});
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as IndexFile;
      if (parsed.key === key && typeof parsed.entries === 'object' && parsed.entries !== null) {
        return new DiscoveryIndex(file, key, parsed);
      }
    } catch {
      // No index yet, or a damaged one: it is only a cache, so start empty.
    }
    return new DiscoveryIndex(file, key, {});
  }

  lookup(path: string, mtimeMs: number, size: number): ManifestResult | undefined {
    this.touched.add(path);
    const entry = this.entries.get(path);
    return entry && entry.mtimeMs === mtimeMs && entry.size === size ? entry.result : undefined;
  }

  store(path: string, mtimeMs: number, size: number, result: ManifestResult): void {
    this.touched.add(path);
    this.entries.set(path, { mtimeMs, size, result });
    this.dirty = true;
  }

  known(key: string): { readonly value: unknown } | undefined {
    const text = this.validations.get(key);
    return text !== undefined ? { value: JSON.parse(text) as unknown } : undefined;
  }

  remember(key: string, value: unknown): void {
    // Newest last; save() keeps the most recent MAX_VALIDATIONS.
    this.validations.delete(key);
    this.validations.set(key, JSON.stringify(value));
    this.dirty = true;
  }

  /**
   * Writes the index atomically, keeping only manifests this run found and the newest
   * validations, so it cannot grow without bound. A failed write is ignored: it is only a cache.
   */
  save(): void {
    if (!this.file) return;
    const stale = [...this.entries.keys()].filter((path) => !this.touched.has(path));
    if (!this.dirty && stale.length === 0) return;
    for (const path of stale) this.entries.delete(path);
    for (const key of [...this.validations.keys()].slice(0, Math.max(0, this.validations.size - MAX_VALIDATIONS))) this.validations.delete(key);
    const body: IndexFile = { key: this.key, entries: Object.fromEntries(this.entries), validations: Object.fromEntries(this.validations) };
    try {
      // Private: validation keys are hashes of config data, which may hold secrets.
      writeAtomically(this.file, JSON.stringify(body), 0o600);
      this.dirty = false;
    } catch {
      // A read-only NEXUS_HOME only costs speed on the next run.
    }
  }
}
