import type { PluginManifest } from '../manifest/index.js';

/**
 * Explicit activation events plus the ones contributions imply (as VS Code does since 1.74):
 * contributing tool `x` means `onTool:x`, and so on. Config sections and slots imply nothing:
 * owning a section is not a reason to run.
 */
export function activationEventsOf(manifest: PluginManifest): Set<string> {
  const events = new Set(manifest.activation ?? []);
  const c = manifest.contributes ?? {};
  for (const { name } of c.tools ?? []) events.add(`onTool:${name}`);
  for (const { name } of c.channels ?? []) events.add(`onChannel:${name}`);
  for (const { name } of c.providers ?? []) events.add(`onProvider:${name}`);
  for (const { name } of c.commands ?? []) events.add(`onCommand:${name}`);
  for (const { name } of c.hooks ?? []) events.add(`onHook:${name}`);
  for (const { name } of c.services ?? []) events.add(`onService:${name}`);
  for (const { name } of c.doctorChecks ?? []) events.add(`onDoctor:${name}`);
  for (const { prefix } of c.httpRoutes ?? []) events.add(`onHttpRoute:${prefix}`);
  for (const { slot } of c.slots ?? []) events.add(`onSlot:${slot}`);
  return events;
}
