import { HOOKS, type Diagnostic } from '../../contracts/index.js';
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

function impliedEvents(manifest: PluginManifest): Set<string> {
  const events = new Set<string>();
  const c = manifest.contributes ?? {};
  for (const { name } of c.tools ?? []) events.add(`onTool:${name}`);
  for (const { name } of c.channels ?? []) events.add(`onChannel:${name}`);
  for (const { name } of c.providers ?? []) events.add(`onProvider:${name}`);
  for (const { name } of c.commands ?? []) events.add(`onCommand:${name}`);
  for (const { name } of c.hooks ?? []) events.add(`onHook:${name}`);
  for (const { name } of c.services ?? []) events.add(`onService:${name}`);
  for (const { name } of c.doctorChecks ?? []) events.add(`onDoctor:${name}`);
  for (const { name } of c.promptSections ?? []) events.add(`onPromptSection:${name}`);
  for (const { name } of c.migrations ?? []) events.add(`onMigrations:${name}`);
  for (const { prefix } of c.httpRoutes ?? []) events.add(`onHttpRoute:${prefix}`);
  return events;
}
