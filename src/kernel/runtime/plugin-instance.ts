import { Container, ContainerModule } from '@nexus/plugin-sdk/shared/inversify';
import {
  LoggerToken,
  PluginConfigToken,
  ServicesToken,
  TaskTrackerToken,
  type ConfigAccess,
  type ContributionRegistry,
  type Diagnostic,
  type HookBus,
  type Logger,
  type PluginActivationContext,
  type PluginDefinition,
  type ServiceRegistry,
} from '@nexus/plugin-sdk';
import type { PluginRecord } from '../plan/index.js';
import { checkRegistration } from './contribution-check.js';
import { withDeadline } from './deadline.js';
import type { KernelHookBus } from './hook-bus.js';
import { PermissionDeniedError, permissionedServices } from './permissions.js';
import { PluginError } from './plugin-error.js';
import { activationHookSubscriber, subscribeHandlerClasses } from './plugin-hooks.js';
import { createRegistrationContext, type RegistrationRecord } from './registration-context.js';
import { OwnedTasks } from './task-tracker.js';

/** Kernel services every plugin's activation context exposes. */
export interface KernelServices {
  readonly hooks: KernelHookBus & HookBus;
  readonly settings: ConfigAccess;
  readonly contributions: ContributionRegistry;
  readonly services: ServiceRegistry;
}

/**
 * One loaded plugin: its own child container holding exactly what its `register` bound, its
 * tasks, and its activation context. Unloading the module removes its bindings and runs their
 * deactivation handlers.
 */
export class PluginInstance {
  readonly container: Container;
  readonly tasks: OwnedTasks;
  readonly bound: RegistrationRecord = { contributions: [], services: [], hooks: [], hookHandlers: [] };
  private readonly module: ContainerModule;
  private readonly context: PluginActivationContext;

  constructor(
    private readonly record: PluginRecord,
    private readonly definition: PluginDefinition,
    root: Container,
    private readonly kernel: KernelServices,
    logger: Logger,
    event: string,
    /** Sensitive services this plugin did not ask for, with their providers. */
    denied: ReadonlyMap<string, readonly string[]> = new Map(),
  ) {
    this.container = new Container({ parent: root });
    // Shadows the root's bindings of services the plugin may not reach, so constructor injection,
    // ctx.get and dynamic values in its container all meet the same refusal.
    for (const [id, providers] of denied) {
      this.container.bind(Symbol.for(id)).toDynamicValue(() => {
        throw new PermissionDeniedError(record.id, id, providers);
      });
    }
    this.tasks = new OwnedTasks(`plugin ${record.id}`);
    this.container.bind(LoggerToken).toConstantValue(logger);
    this.container.bind(PluginConfigToken).toConstantValue(record.config);
    this.container.bind(TaskTrackerToken).toConstantValue(this.tasks);
    this.module = new ContainerModule((options) => {
      const result = definition.register?.(createRegistrationContext(record.id, options, kernel.hooks, this.bound)) as unknown;
      if (result instanceof Promise) {
        result.catch(() => undefined);
        throw new Error('register() returned a promise; register must only bind. Move async work to activate()');
      }
    });
    const container = this.container;
    // The plugin's own view of the service registry, for ctx.services and @inject(ServicesToken) alike.
    const services = permissionedServices(record.id, kernel.services, denied);
    if (services !== kernel.services) this.container.bind(ServicesToken).toConstantValue(services);
    this.context = {
      ...activationHookSubscriber(record.id, record.manifestPath, record.manifest!, kernel.hooks),
      pluginId: record.id,
      event,
      config: record.config,
      logger,
      signal: this.tasks.signal,
      tasks: this.tasks,
      hooks: kernel.hooks,
      settings: kernel.settings,
      contributions: kernel.contributions,
      services,
      get: (token, options) => container.get(token, options?.name !== undefined ? { name: options.name } : undefined),
      getAsync: (token, options) => container.getAsync(token, options?.name !== undefined ? { name: options.name } : undefined),
    };
  }

  /** Runs `register` in the plugin's container and checks the result against the manifest. */
  register(): void {
    try {
      this.container.load(this.module);
    } catch (error) {
      this.kernel.hooks.removePlugin(this.record.id);
      throw new PluginError('plugin.register-failed', `register() threw: ${(error as Error).message}`, 'fix the plugin\'s register(); it must only bind, synchronously', error);
    }
    const problems = checkRegistration(this.record.id, this.record.manifestPath, this.record.manifest!, this.bound);
    if (problems.length > 0) {
      this.kernel.hooks.removePlugin(this.record.id);
      this.container.unload(this.module);
      throw new PluginError(problems[0]!.code, problems.map((p) => p.message).join('; '), problems[0]!.hint, undefined, problems);
    }
    try {
      subscribeHandlerClasses(this.record.id, this.record.manifest!, this.bound.hookHandlers, this.container, this.kernel.hooks);
    } catch (error) {
      this.kernel.hooks.removePlugin(this.record.id);
      this.container.unload(this.module);
      throw new PluginError('plugin.register-failed', `HookHandlers: ${(error as Error).message}`, 'contribute HookHandlers under the name of a declared hook', error);
    }
  }

  async activate(deadlineMs: number): Promise<void> {
    if (!this.definition.activate) return;
    try {
      await withDeadline(this.definition.activate(this.context), deadlineMs, `activate() of ${this.record.id}`);
    } catch (error) {
      const timedOut = (error as Error).name === 'DeadlineError';
      throw new PluginError(
        timedOut ? 'plugin.activate-timeout' : 'plugin.activate-failed',
        timedOut ? `did not finish starting within ${deadlineMs} ms (activate() took too long)` : `could not start: ${(error as Error).message}`,
        timedOut
          ? 'make activate() finish sooner (start long-running work with ctx.tasks.run)'
          : 'fix what the message names; the plugin stays stopped until Nexus restarts, or a config reload changes its settings',
        error,
      );
    }
  }

  /**
   * Stops the plugin: `deactivate`, then abort and drain its tasks, then unload its bindings.
   * Every step runs even if an earlier one fails; the problems are returned.
   */
  async deactivate(deadlineMs: number): Promise<Diagnostic[]> {
    const problems: Diagnostic[] = [];
    const note = (code: string, message: string, hint: string) => problems.push({ level: 'warning', code, message, pluginId: this.record.id, hint });
    if (this.definition.deactivate) {
      try {
        await withDeadline(this.definition.deactivate(this.context), deadlineMs, `deactivate() of ${this.record.id}`);
      } catch (error) {
        note('plugin.deactivate-failed', `deactivate() failed: ${(error as Error).message}`, 'make deactivate() finish within the stop deadline');
      }
    }
    const stillRunning = await this.tasks.drain(deadlineMs);
    if (stillRunning.length > 0) {
      note('plugin.tasks-abandoned', `tasks still running after ${deadlineMs} ms: ${stillRunning.join(', ')}`, 'tasks must honour their AbortSignal');
    }
    this.kernel.hooks.removePlugin(this.record.id);
    try {
      await withDeadline(this.container.unloadAsync(this.module), deadlineMs, `unloading ${this.record.id}`);
      await this.container.unbindAllAsync();
    } catch (error) {
      note('plugin.unload-failed', `unloading failed: ${(error as Error).message}`, 'check the plugin\'s onDeactivation/@preDestroy handlers');
    }
    return problems;
  }
}
