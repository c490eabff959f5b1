import type { Kernel } from '../../../kernel/index.js';
import type { CliIo } from '../../cli-context.js';
import { askConsent, type ConsentOptions } from './consent.js';
import type { InstallRecord, InstallRecords } from './install-records.js';
import type { NpmClient } from './npm-client.js';
import { describeSource, type PackageSource } from './package-source.js';
import { placePackage } from './place-package.js';
import type { PluginHome } from './plugin-home.js';
import { checkStaged, type CheckedPlugin } from './staged-checks.js';
import { stagePackage } from './staged-package.js';
import { treeDigest } from './tree-digest.js';

/** What install, update and uninstall work with: the kernel as configured now, and the plugin home. */
export interface PackageContext {
  readonly kernel: Kernel;
  readonly io: CliIo;
  readonly home: PluginHome;
  readonly npm: NpmClient;
  readonly records: InstallRecords;
}

/**
 * Stage → check → ask → move into place → record. Anything failing before the move leaves the
 * plugins folder untouched; the move itself is a rename (two for an update), undone if the
 * record cannot be written. Returns the new record, or undefined when an update found nothing new.
 */
export async function installPackage(ctx: PackageContext, source: PackageSource, consent: ConsentOptions, replacing?: InstallRecord): Promise<InstallRecord | undefined> {
  const staged = await stagePackage(source, ctx.home, ctx.npm);
  try {
    if (replacing && staged.packed.integrity === replacing.integrity && treeDigest(ctx.home.packageDir(replacing.package)) === replacing.tree) {
      ctx.io.stdout(`${replacing.id} is up to date (${replacing.package}@${replacing.version}).\n`);
      return undefined;
    }
    const checked = checkStaged(staged, ctx, replacing);
    await askConsent(ctx.io, checked, describeSource(source), consent, replacing ? ctx.kernel.record(replacing.id)?.manifest : undefined);
    const record: InstallRecord = {
      id: checked.manifest.id,
      package: staged.packed.name,
      version: staged.packed.version,
      source,
      integrity: staged.packed.integrity,
      tree: treeDigest(staged.dir),
      installedAt: new Date().toISOString(),
    };
    const placed = placePackage(staged, ctx.home);
    try {
      ctx.records.set(record);
    } catch (error) {
      placed.undo();
      throw error;
    }
    ctx.io.stdout(`${replacing ? 'Updated' : 'Installed'} ${record.id} ${record.version} in ${placed.dir}.\n`);
    ctx.io.stdout(`${nextStep(checked, record.id)}\n`);
    return record;
  } finally {
    staged.discard();
  }
}

/** What the operator does next: nothing but a restart, fix the warnings, or turn it on. */
function nextStep(checked: CheckedPlugin, id: string): string {
  if (!checked.enabled) return `It is off (${checked.enabledBy}): \`nexus plugins enable ${id}\` turns it on.`;
  if (!checked.runnable) return `It is enabled (${checked.enabledBy}) but cannot run until the warnings above are fixed; \`nexus plugins info ${id}\` shows them again.`;
  return `It is enabled (${checked.enabledBy}); a running \`nexus serve\` loads it once restarted.`;
}
