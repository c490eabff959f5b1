import { HOOKS, type Diagnostic } from '@nexus/plugin-sdk';
import type { PluginManifest } from '../manifest/index.js';

/**
 * Explicit activation events plus the ones contributions imply (as VS Code does since 1.74):
 * contributing tool `x` means `onTool:x`, and so on. Config sections and slots imply nothing:
 * owning a section is not a reason to run.
 */
export function activationEventsOf(manifest: PluginManifest): Set<string> {
  const events = impliedEvents(manifest);
  for (const event of manifest.activation ?? []) events.add(event);
  return events;
}

/**
 * Explicit events that can never fire: contributions are routed by the manifest, so `onTool:x`
 * means nothing unless the plugin also declares tool `x`; and a hook must exist to be fired.
 */
export function unreachableActivationEvents(manifest: PluginManifest, manifestPath: string): Diagnostic[] {
  // Most plugins list no events of their own; planning a thousand of them need not work out theirs twice.
  if (!manifest.activation?.length) return [];
  const implied = impliedEvents(manifest);
  const problems: Diagnostic[] = [];
  (manifest.activation ?? []).forEach((event, index) => {
    const [kind = '', name = ''] = event.split(/:(.*)/s);
    const reachable = kind === 'onStartup' || (kind === 'onHook' ? name in HOOKS : implied.has(event));
    if (reachable) return;
    problems.push({
      level: 'warning',
      code: 'manifest.activation-unreachable',
      message: kind === 'onHook' ? `activation event ${event} can never fire: there is no hook "${name}"` : `activation event ${event} can never fire: the plugin does not contribute "${name}"`,
      pluginId: manifest.id,
      source: { file: manifestPath, pointer: `/activation/${index}` },
      hint: kind === 'onHook' ? `hooks: ${Object.keys(HOOKS).join(', ')}` : 'declare the contribution under "contributes" (which implies this event), or remove the event',
    });
  });
  return problems;
}

/** Each named contribution kind and the activation event its entries imply. */
const IMPLYING_KINDS = [
  ['tools', 'onTool:'],
  ['toolSources', 'onToolSource:'],
  ['channels', 'onChannel:'],
  ['providers', 'onProvider:'],
  ['commands', 'onCommand:'],
  ['hooks', 'onHook:'],
  ['services', 'onService:'],
  ['doctorChecks', 'onDoctor:'],
  ['promptSections', 'onPromptSection:'],
  ['migrations', 'onMigrations:'],
] as const;

// Index loops over a table: this runs for every installed plugin on each start, before the
// JIT has warmed up, and ten for-of loops over `?? []` cost several times as much.
function impliedEvents(manifest: PluginManifest): Set<string> {
  const events = new Set<string>();
  const c = manifest.contributes;
  if (!c) return events;
  for (const [kind, prefix] of IMPLYING_KINDS) {
    const items = c[kind];
    if (items) for (let i = 0; i < items.length; i++) events.add(prefix + items[i]!.name);
  }
  const routes = c.httpRoutes;
  if (routes) for (let i = 0; i < routes.length; i++) events.add(`onHttpRoute:${routes[i]!.prefix}`);
  return events;
}
