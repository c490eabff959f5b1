import type { Container } from '@nexus/plugin-sdk/shared/inversify';
import type { Plan } from '../plan/index.js';
import type { PluginInstance } from './plugin-instance.js';

/** What the registries need from the kernel: the plan, and a way to activate a plugin. */
export interface ActivationSource {
  plan(): Plan;
  /** Activates `pluginId` (and what it requires) because `event` fired. Rejects if it cannot run. */
  activate(pluginId: string, event: string): Promise<PluginInstance>;
  /** The plugin's current instance (activating or active), if it has one. */
  instance(pluginId: string): PluginInstance | undefined;
  /** The root container (kernel services), created on first use. */
  root(): Promise<Container>;
}
