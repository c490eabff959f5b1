import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ManifestResult } from '../manifest/index.js';

interface IndexEntry {
  readonly mtimeMs: number;
  readonly size: number;
  readonly result: ManifestResult;
}

interface IndexFile {
  readonly key: string;
  readonly entries: Record<string, IndexEntry>;
}

/**
 * Parsed-and-validated manifests from earlier runs, keyed by path and checked against mtime and
 * size, so a warm run neither reads manifests nor loads the schema validator. `key` ties the
 * index to the host version and manifest schema: a change to either starts it afresh.
 */
export class DiscoveryIndex {
  private readonly entries: Map<string, IndexEntry>;
  private readonly touched = new Set<string>();
  private dirty = false;

  private constructor(
    private readonly file: string | undefined,
    private readonly key: string,
    entries: Record<string, IndexEntry>,
  ) {
    this.entries = new Map(Object.entries(entries));
  }

  /** Opens the index at `file`; a missing, corrupt or stale file yields an empty index. */
  static open(file: string | undefined, key: string): DiscoveryIndex {
    if (!file) return new DiscoveryIndex(undefined, key, {});
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as IndexFile;
      if (parsed.key === key && typeof parsed.entries === 'object' && parsed.entries !== null) {
        return new DiscoveryIndex(file, key, parsed.entries);
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

  /** Writes the index atomically, keeping only manifests seen in this run. Failure is ignored. */
  save(): void {
    if (!this.file) return;
    const stale = [...this.entries.keys()].filter((path) => !this.touched.has(path));
    if (!this.dirty && stale.length === 0) return;
    for (const path of stale) this.entries.delete(path);
    const body: IndexFile = { key: this.key, entries: Object.fromEntries(this.entries) };
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileSync(tmp, JSON.stringify(body));
      renameSync(tmp, this.file);
      this.dirty = false;
    } catch {
      // A read-only NEXUS_HOME only costs speed on the next run.
    }
  }
}
