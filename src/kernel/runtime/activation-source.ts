import type { Diagnostic } from '@nexus/plugin-sdk';
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
  /**
   * Fails an active plugin that broke its contract at run time (an object contradicting its
   * manifest): records why, stops and unloads it. Returns the error to throw at the caller.
   */
  breach(pluginId: string, problems: readonly Diagnostic[]): Promise<Error>;
  /** The root container (kernel services), created on first use. */
  root(): Promise<Container>;
}
