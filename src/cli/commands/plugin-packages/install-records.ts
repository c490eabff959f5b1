import { readFileSync } from 'node:fs';
import { writeAtomically } from '../../../kernel/index.js';
import { CliExit, EXIT } from '../../cli-context.js';
import type { PackageSource } from './package-source.js';

/** What was installed for one plugin, and how to check it and get it again. */
export interface InstallRecord {
  readonly id: string;
  /** The npm package name: its folder under node_modules. */
  readonly package: string;
  readonly version: string;
  /** What the operator gave; `update` resolves it again. */
  readonly source: PackageSource;
  /** The tarball's integrity (`sha512-…`, as npm reports it) at install time. */
  readonly integrity: string;
  /** treeDigest of the installed folder: what `verify` recomputes. */
  readonly tree: string;
  readonly installedAt: string;
}

interface RecordFile {
  readonly format: 1;
  readonly plugins: Record<string, InstallRecord>;
}

/** `$NEXUS_HOME/plugins/installed.json`: one record per plugin installed with `nexus plugins install`. */
export class InstallRecords {
  private constructor(
    private readonly file: string,
    private readonly byId: Map<string, InstallRecord>,
  ) {}

  static read(file: string): InstallRecords {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return new InstallRecords(file, new Map());
    }
    try {
      const parsed = JSON.parse(text) as RecordFile;
      if (parsed.format !== 1 || typeof parsed.plugins !== 'object' || parsed.plugins === null) throw new Error(`unknown format ${JSON.stringify(parsed.format)}`);
      return new InstallRecords(file, new Map(Object.entries(parsed.plugins)));
    } catch (error) {
      throw new CliExit(
        EXIT.problems,
        `${file} cannot be read: ${(error as Error).message}; it records the installed plugins' sources and integrity. Restore it from a backup, or remove it and install the plugins again`,
      );
    }
  }

  get(id: string): InstallRecord | undefined {
    return this.byId.get(id);
  }

  all(): InstallRecord[] {
    return [...this.byId.values()];
  }

  /** The record of the plugin installed from npm package `name`, if any. */
  byPackage(name: string): InstallRecord | undefined {
    return this.all().find((r) => r.package === name);
  }

  set(record: InstallRecord): void {
    this.change((records) => records.set(record.id, record));
  }

  delete(id: string): void {
    this.change((records) => records.delete(id));
  }

  /**
   * Applies one change to the file as it is now, not as it was read: another `nexus plugins`
   * command may have recorded a plugin while this one was fetching its own.
   */
  private change(edit: (records: Map<string, InstallRecord>) => unknown): void {
    const fresh = InstallRecords.read(this.file).byId;
    edit(fresh);
    this.byId.clear();
    for (const [id, record] of fresh) this.byId.set(id, record);
    this.save();
  }

  private save(): void {
    const body: RecordFile = { format: 1, plugins: Object.fromEntries([...this.byId].sort(([a], [b]) => a.localeCompare(b))) };
    writeAtomically(this.file, `${JSON.stringify(body, null, 2)}\n`);
  }
}
