import type { Diagnostic } from '@nexus/plugin-sdk';
import type { LoadedConfig, PluginsConfig } from '../config/index.js';
import type { SlotClaim } from '../manifest/index.js';
import { joinPointer } from '../schema/index.js';
import { conditionHolds } from './config-condition.js';
import { isRunnable, type PluginRecord } from './plugin-record.js';

/**
 * Chooses each slot's single occupant from config and manifest data alone: the operator's
 * `plugins.slots.<slot>`, else the claimant whose condition matches the config, else the one
 * marked `default`. A claim with neither condition nor default always matches. Two matching
 * claimants are a conflict: both are quarantined and the slot stays empty until config decides.
 * Claimants that lose are disabled for this run.
 */
export function resolveSlots(
  records: ReadonlyMap<string, PluginRecord>,
  plugins: PluginsConfig,
  config: LoadedConfig,
): { readonly occupants: ReadonlyMap<string, string>; readonly diagnostics: readonly Diagnostic[] } {
  const claims = new Map<string, { record: PluginRecord; claim: SlotClaim }[]>();
  for (const record of records.values()) {
    if (!isRunnable(record)) continue;
    for (const claim of record.manifest?.contributes?.slots ?? []) {
      const list = claims.get(claim.slot) ?? [];
      list.push({ record, claim });
      claims.set(claim.slot, list);
    }
  }

  const occupants = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  for (const [slot, claimants] of claims) {
    const chosen = plugins.slots[slot];
    let winners: typeof claimants;
    if (chosen !== undefined) {
      winners = claimants.filter((c) => c.record.id === chosen);
      if (winners.length === 0) {
        const pointer = joinPointer('plugins', 'slots', slot);
        diagnostics.push({
          level: 'error',
          code: 'config.unknown-slot-occupant',
          message: `plugins.slots.${slot} names "${chosen}", which is not an enabled plugin claiming slot "${slot}"`,
          source: config.locate(pointer),
          hint: `claimants: ${claimants.map((c) => c.record.id).join(', ')}`,
        });
      }
    } else {
      winners = claimants.filter((c) => c.claim.when !== undefined && conditionHolds(c.claim.when, config.data));
      if (winners.length === 0) winners = claimants.filter((c) => c.claim.when === undefined && c.claim.default !== false);
      if (winners.length === 0) winners = claimants.filter((c) => c.claim.default === true);
    }

    if (winners.length > 1) {
      const ids = winners.map((w) => w.record.id);
      for (const { record } of winners) {
        record.state = 'quarantined';
        record.diagnostics.push({
          level: 'error',
          code: 'slot.conflict',
          message: `plugins ${ids.join(' and ')} both claim the exclusive slot "${slot}"`,
          pluginId: record.id,
          source: { file: record.manifestPath, pointer: '/contributes/slots' },
          hint: `choose one with "plugins.slots.${slot}: <id>" in the config, or disable the others`,
        });
      }
      continue;
    }
    const winner = winners[0]?.record;
    if (winner) occupants.set(slot, winner.id);
    for (const { record } of claimants) {
      if (record === winner) continue;
      record.enabled = false;
      record.state = 'disabled';
      record.enabledBy = winner ? `slot "${slot}" is filled by ${winner.id}` : `slot "${slot}" has no occupant`;
    }
  }
  return { occupants, diagnostics };
}
