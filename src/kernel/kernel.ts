import { join, resolve } from 'node:path';
import type { Container } from '@nexus/plugin-sdk/shared/inversify';
import {
  ClockToken,
  ConfigToken,
  ContributionsToken,
  HookBusToken,
  HOOKS,
  HostStatusToken,
  LoggerToken,
  ServicesToken,
  TaskTrackerToken,
  type Clock,
  type ConfigAccess,
  type Diagnostic,
  type Logger,
} from '@nexus/plugin-sdk';
import { emptyConfig, type LoadedConfig } from './config/index.js';
import { DiscoveryIndex, type ManifestRootPaths } from './discovery/index.js';
import { hostStatus, readHostVersion } from './host/index.js';
import { DEFAULT_TIMEOUTS, defaultHome, type KernelOptions, type KernelTimeouts } from './kernel-options.js';
import { importPluginDefinition, ModuleLoader } from './load/index.js';
import { loggerFor, RedactingLogger, SecretSet } from './logging/index.js';
import {
  buildPlan,
  checkConfigSlice,
  isRunnable,
  planReload,
  quarantine,
  requiredPluginProblems,
  summarize,
  type Plan,
  type PlanContext,
  type Planned,
  type PluginRecord,
  type PluginSummary,
} from './plan/index.js';
import { KernelContributionRegistry } from './runtime/contribution-registry.js';
import { withDeadline } from './runtime/deadline.js';
import { KernelHookBus } from './runtime/hook-bus.js';
import { HookSubscriberIndex } from './runtime/hook-subscribers.js';
import { noteHookFailure } from './runtime/plugin-hooks.js';
import { deniedServices, sensitiveServices } from './runtime/permissions.js';
import { PluginError, PluginUnavailableError } from './runtime/plugin-error.js';
import type { PluginInstance } from './runtime/plugin-instance.js';
import { KernelServiceRegistry } from './runtime/service-registry.js';
import { OwnedTasks } from './runtime/task-tracker.js';
import { SchemaCompiler } from './schema/index.js';
import { dependencyFailed, isFatal, KernelStartError, type ReloadReport, type StartReport } from './kernel-reports.js';
import { composeConfigSchema, secretValues } from './settings/index.js';

/**
 * The plugin host. Everything hangs off one instance: two kernels in one process share nothing
 * but immutable code. Phases: discover → validate → plan (manifests only) → load and activate
 * on demand → stop in reverse.
 */
export class Kernel {
  readonly home: string;
  readonly workspaceDir: string;
  readonly hostVersion: string;
  readonly logger: Logger;
  readonly settings: ConfigAccess;
  readonly hooks: KernelHookBus;
  readonly contributions: KernelContributionRegistry;
  readonly services: KernelServiceRegistry;
  readonly tasks = new OwnedTasks('kernel');

  private readonly timeouts: KernelTimeouts;
  /** Secret values of the config in effect, scrubbed from every log line. */
  private readonly secrets = new SecretSet();
  private readonly index: DiscoveryIndex;
  private readonly schemas: SchemaCompiler;
  private readonly loader: ModuleLoader;
  private readonly hookSubscribers = new HookSubscriberIndex();
  private readonly instances = new Map<string, PluginInstance>();
  private readonly activations = new Map<string, Promise<PluginInstance>>();
  /** Activation order, so stop can run in reverse. */
  private readonly activationOrder: string[] = [];
  private currentConfig: LoadedConfig;
  private planned: Planned | undefined;
  private stopping = false;
  /** While `start()` activates plugins: a required one failing is reported by the thrown error, not logged too. */
  private starting = false;
  private containerRuntime: Promise<ContainerRuntime> | undefined;
  /** What planning needs; fixed for the kernel's life (a reload changes only the config). */
  private readonly planContext: PlanContext;
  private composed: { readonly plan: Plan; readonly schema: Record<string, unknown> } | undefined;

  constructor(private readonly options: KernelOptions = {}) {
    this.currentConfig = options.config ?? emptyConfig();
    this.home = resolve(options.home ?? defaultHome());
    this.workspaceDir = resolve(options.workspaceDir ?? process.cwd());
    this.hostVersion = options.hostVersion ?? readHostVersion();
    this.logger = new RedactingLogger(options.logger ?? loggerFor(this.currentConfig.data.logging), this.secrets);
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.index = DiscoveryIndex.open(options.discoveryIndex === false ? undefined : join(this.home, 'cache', 'discovery-index.json'), DiscoveryIndex.keyFor(this.hostVersion));
    this.schemas = new SchemaCompiler(this.index);
    this.planContext = {
      schemas: this.schemas,
      index: this.index,
      hostVersion: this.hostVersion,
      home: this.home,
      workspaceDir: this.workspaceDir,
      ...(options.builtinDirs ? { builtinDirs: options.builtinDirs } : {}),
      ...(options.packageDirs ? { packageDirs: options.packageDirs } : {}),
      ...(options.hostRequires ? { hostRequires: options.hostRequires } : {}),
      checkAllConfig: options.checkAllConfig === true,
    };
    this.loader = new ModuleLoader(options.moduleCacheDir ?? (options.discoveryIndex === false ? undefined : join(this.home, 'cache')));
    this.settings = { path: this.config.path, home: this.home, section: <T>(name: string) => (this.plan().effectiveConfig[name] ?? this.config.data[name]) as T | undefined };
    this.hooks = new KernelHookBus(this.logger, (hook) => this.activateForHook(hook), this.timeouts.hookMs, HOOKS, (failure) => noteHookFailure(this.record(failure.pluginId), failure));
    this.contributions = new KernelContributionRegistry(this);
    this.services = new KernelServiceRegistry(this, new Set([...KERNEL_TOKENS, ...(options.services ?? []).map(([token]) => token)]));
  }

  /** Discovers, validates and plans, once. Reads manifests and config only; runs no plugin code. */
  plan(): Plan {
    if (!this.planned) {
      this.planned = buildPlan(this.currentConfig, this.planContext);
      // Secrets come only from the file or the environment; with no settings there is nothing to scrub.
      if (Object.keys(this.currentConfig.data).length > 0) this.secrets.add(secretValues(this.currentConfig, this.planned.plan.effectiveConfig, this.configSchema()));
    }
    return this.planned.plan;
  }

  /** The config in effect (reload replaces it). */
  get config(): LoadedConfig {
    return this.currentConfig;
  }

  /**
   * Applies a new config to a running kernel. It is planned first, and rejected (the old config
   * stays in force) on whatever would stop a start: a bad kernel-owned section, or a `required`
   * plugin that could not run. Otherwise only plugins whose slice (their entry and the sections
   * they own) changed are restarted, with the active plugins that require them; plugins newly
   * disabled stop, and `onStartup` plugins newly enabled start.
   */
  async reconfigure(next: LoadedConfig): Promise<ReloadReport> {
    // Activations in flight finish under the old config first, so none is orphaned by the swap.
    await Promise.allSettled([...this.activations.values()]);
    const previous = this.currentConfig;
    const old = this.planned ?? buildPlan(previous, this.planContext);
    const candidate = buildPlan(next, this.planContext);
    const fatal = [...candidate.diagnostics.filter(isFatal), ...this.requiredProblems(candidate)];
    if (fatal.length > 0) return { applied: false, restarted: [], stopped: [], started: [], diagnostics: fatal };

    const report = await this.apply(old, candidate, next);
    // A required plugin that planned well but did not come back (its port is taken, its
    // database unreachable): the old config worked, so it is put back rather than left half-up.
    const down = this.requiredProblems(candidate);
    if (down.length === 0) return report;
    await this.apply(candidate, buildPlan(previous, this.planContext), previous);
    const still = this.requiredProblems(this.planned!);
    const outcome: Diagnostic =
      still.length === 0
        ? { level: 'info', code: 'config.reload-undone', message: 'the previous config was restored, and the plugins it runs are running again' }
        : { level: 'error', code: 'config.reload-undone', message: `the previous config was restored, but not everything came back: ${still.map((d) => d.message).join('; ')}` };
    return { applied: false, restarted: [], stopped: [], started: [], diagnostics: [...down, outcome] };
  }

  /** Why a required plugin (the config's, or the host's) cannot run under `planned`. */
  private requiredProblems(planned: Planned): Diagnostic[] {
    return requiredPluginProblems(planned.plan, planned.plugins, this.options.hostRequires);
  }

  /** Swaps `from` for `to` on the running kernel: stops what changed, starts what must run. */
  private async apply(from: Planned, candidate: Planned, next: LoadedConfig): Promise<ReloadReport> {
    const { changed, restart, startup } = planReload(from, this.currentConfig, candidate, next, new Set(this.instances.keys()));
    for (const id of [...this.activationOrder].reverse().filter((id) => changed.includes(id))) await this.unload(id);
    this.currentConfig = next;
    this.planned = candidate;
    // Providers the new config enables become injectable too (bindings are added, never duplicated).
    if (this.containerRuntime) {
      const { root } = await this.containerRuntime;
      this.services.bindForInjection(root, candidate.plan, (id) => this.instances.get(id));
    }
    // Plugins that failed under the old config get a fresh chance under the new one.
    for (const id of [...this.activations.keys()]) if (!this.instances.has(id)) this.activations.delete(id);
    this.secrets.add(secretValues(next, candidate.plan.effectiveConfig, this.configSchema()));
    for (const id of this.instances.keys()) {
      const record = candidate.plan.records.get(id);
      if (record) record.state = 'active';
    }
    await Promise.allSettled([...new Set([...restart, ...startup])].map((id) => this.activate(id, 'reload')));
    return {
      applied: true,
      restarted: restart.filter((id) => this.instances.has(id)),
      stopped: changed.filter((id) => !this.instances.has(id)),
      // Kernel-level problems of the new config, and why any affected plugin could not come back.
      diagnostics: [
        ...candidate.diagnostics,
        ...[...changed, ...startup].flatMap((id) => (this.instances.has(id) ? [] : (candidate.plan.records.get(id)?.diagnostics ?? []).filter((d) => d.level === 'error'))),
      ],
      started: startup.filter((id) => !restart.includes(id) && this.instances.has(id)),
    };
  }

  /**
   * Where discovery looked for manifests under the config in effect (built-in folder, config
   * paths, workspace, node_modules): what the CLI's help cache re-walks to know it is current.
   */
  discoveryRoots(): ManifestRootPaths {
    this.plan();
    return this.planned!.roots;
  }

  /** Every known plugin, in discovery precedence order. */
  list(): PluginSummary[] {
    return [...this.plan().records.values()].map(summarize);
  }

  record(id: string): PluginRecord | undefined {
    return this.plan().records.get(id);
  }

  /** The one schema for nexus.yaml: the kernel's sections plus every discovered plugin's. */
  configSchema(): Record<string, unknown> {
    const plan = this.plan();
    // Composed once per plan: logging's secret scan and the config commands all ask for it.
    if (this.composed?.plan !== plan) this.composed = { plan, schema: composeConfigSchema(plan.sectionOwners, plan.records.values()) };
    return this.composed.schema;
  }

  /** How a plugin's entry would load: natively, or compiled with the shared packages aliased. */
  loadStrategy(id: string): 'native' | 'compiled' | undefined {
    const record = this.record(id);
    return record?.manifest?.main ? this.loader.strategy(resolve(record.dir, record.manifest.main), record.dir) : undefined;
  }

  /** The plugins that provide `serviceId` and mark it sensitive (what `permissions` guards); empty if none does. */
  sensitiveServiceProviders(serviceId: string): readonly string[] {
    return sensitiveServices(this.plan()).get(serviceId) ?? [];
  }

  /** Problems that belong to no single plugin (config, discovery, slot choices). */
  diagnostics(): readonly Diagnostic[] {
    this.plan();
    return this.planned!.diagnostics;
  }

  /**
   * Activates every enabled `onStartup` plugin, each after what it requires, in parallel where
   * independent. A failing plugin is quarantined with its dependents and startup goes on, unless
   * the operator marked it `required`. Kernel-owned config errors stop startup.
   */
  async start(): Promise<StartReport> {
    const started = performance.now();
    const plan = this.plan();
    // Only errors in the kernel-owned config stop startup; anything else is one plugin's problem.
    const fatal = [...this.diagnostics().filter(isFatal), ...this.requiredProblems(this.planned!)];
    if (fatal.length > 0) throw new KernelStartError(fatal);

    // Required plugins start now too, even those that would load on first use (the storage
    // occupant): a required plugin that cannot start must stop startup, not the first request.
    const startup = [...plan.records.values()].filter((r) => r.enabled && (r.activationEvents.has('onStartup') || r.required));
    this.starting = true;
    try {
      await Promise.allSettled(startup.filter(isRunnable).map((r) => this.activate(r.id, r.activationEvents.has('onStartup') ? 'onStartup' : 'required')));
    } finally {
      this.starting = false;
    }

    const requiredDown = this.requiredProblems(this.planned!);
    if (requiredDown.length > 0) throw new KernelStartError(requiredDown);

    const active = startup.filter((r) => r.state === 'active').map((r) => r.id);
    const failed = startup.filter((r) => r.state !== 'active').map((r) => r.id);
    const durationMs = performance.now() - started;
    await this.hooks.emit('kernel.ready', { activePlugins: [...this.instances.keys()], durationMs });
    return { active, failed, durationMs };
  }

  /**
   * Loads and activates a plugin because `event` fired; concurrent calls share one activation.
   * Rejects with PluginUnavailableError when the plugin cannot run.
   */
  activate(pluginId: string, event: string): Promise<PluginInstance> {
    if (this.stopping) return Promise.reject(new PluginUnavailableError(pluginId, [], 'the kernel is stopping'));
    const existing = this.activations.get(pluginId);
    if (existing) return existing;
    const activation = this.doActivate(pluginId, event);
    this.activations.set(pluginId, activation);
    // Failures are reported through the plugin's diagnostics; callers still see the rejection.
    activation.catch(() => undefined);
    return activation;
  }

  instance(pluginId: string): PluginInstance | undefined {
    return this.instances.get(pluginId);
  }

  async breach(pluginId: string, problems: readonly Diagnostic[]): Promise<Error> {
    const record = this.record(pluginId);
    if (!record) return new Error(`no plugin with id "${pluginId}" was discovered`);
    if (record.state !== 'failed') {
      // Failed first, so no caller activates it again while it stops.
      this.fail(record, new PluginError(problems[0]!.code, problems.map((p) => p.message).join('; '), problems[0]!.hint, undefined, problems));
      const stopped = await this.unload(pluginId);
      for (const problem of stopped) this.logger.warn(problem.message, { pluginId, code: problem.code });
    }
    return new PluginUnavailableError(pluginId, record.diagnostics, problems.map((p) => p.message).join('; '));
  }

  /**
   * Deactivates every active plugin in reverse activation order, drains tracked tasks and
   * unloads modules, all within the stop deadline.
   */
  async stop(reason = 'shutdown'): Promise<readonly Diagnostic[]> {
    if (this.stopping) return [];
    this.stopping = true;
    const problems: Diagnostic[] = [];
    const deadline = Date.now() + this.timeouts.stopMs;
    await withDeadline(this.hooks.emit('kernel.stopping', { reason }), this.timeouts.hookMs, 'kernel.stopping hooks').catch(() => undefined);
    // Let in-flight activations settle so nothing is half-loaded when we unload.
    await withDeadline(Promise.allSettled([...this.activations.values()]), Math.max(1, deadline - Date.now()), 'pending activations').catch(() => undefined);

    for (const id of [...this.activationOrder].reverse()) {
      problems.push(...(await this.unload(id, Math.max(1, Math.min(this.timeouts.deactivateMs, deadline - Date.now())))));
    }
    const abandoned = await this.tasks.drain(Math.max(1, deadline - Date.now()));
    if (abandoned.length > 0) {
      problems.push({ level: 'warning', code: 'kernel.tasks-abandoned', message: `kernel tasks still running at stop: ${abandoned.join(', ')}` });
    }
    if (this.containerRuntime) await (await this.containerRuntime).root.unbindAllAsync();
    for (const problem of problems) this.logger.warn(problem.message, { pluginId: problem.pluginId, code: problem.code });
    return problems;
  }

  private async doActivate(pluginId: string, event: string): Promise<PluginInstance> {
    const record = this.plan().records.get(pluginId);
    if (!record) throw new Error(`no plugin with id "${pluginId}" was discovered`);
    if (!isRunnable(record)) {
      throw new PluginUnavailableError(pluginId, record.diagnostics, record.enabled ? `it is ${record.state}` : `it is disabled (${record.enabledBy})`);
    }
    const started = performance.now();
    const manifest = record.manifest!;

    for (const depId of Object.keys(manifest.requires ?? {})) {
      try {
        await this.activate(depId, `required by ${pluginId}`);
      } catch {
        // The dependency's own failure already quarantined this plugin (spreadQuarantine).
        this.quarantine(record, dependencyFailed(record.id, depId, this.record(depId)));
        throw new PluginUnavailableError(pluginId, record.diagnostics, `its dependency ${depId} is unavailable`);
      }
    }

    const configOk = checkConfigSlice(record, this.planned!.plugins.entries[pluginId], this.config, this.schemas);
    this.index.save();
    if (!configOk) {
      const diagnostic = record.diagnostics.find((d) => d.level === 'error');
      if (diagnostic) this.background(`hook plugin.failed ${pluginId}`, () => this.hooks.emit('plugin.failed', { pluginId, diagnostic }));
      this.spreadQuarantine(pluginId);
      throw new PluginUnavailableError(pluginId, record.diagnostics, 'its config is invalid');
    }

    let instance: PluginInstance | undefined;
    try {
      const definition = await importPluginDefinition(record, this.loader, this.timeouts.importMs);
      const runtime = await this.runtime();
      const denied = deniedServices(record, sensitiveServices(this.plan()));
      instance = new runtime.PluginInstance(record, definition, runtime.root, this, this.logger.child({ pluginId }), event, denied);
      instance.register();
      this.instances.set(pluginId, instance);
      this.activationOrder.push(pluginId);
      await instance.activate(this.timeouts.activateMs);
      // stop() may have given up waiting while this ran: nothing must be left running after it.
      if (this.stopping) throw new PluginError('plugin.activate-after-stop', 'the kernel stopped while this plugin was activating', undefined);
    } catch (error) {
      const failure = error instanceof PluginError ? error : new PluginError('plugin.load-failed', (error as Error).message, undefined, error);
      if (instance && this.instances.get(pluginId) === instance) {
        this.instances.delete(pluginId);
        await instance.deactivate(this.timeouts.deactivateMs);
      }
      this.fail(record, failure);
      throw new PluginUnavailableError(pluginId, record.diagnostics, failure.message);
    }

    record.state = 'active';
    const durationMs = performance.now() - started;
    this.logger.debug('plugin activated', { pluginId, event, durationMs });
    this.background(`hook plugin.activated ${pluginId}`, () => this.hooks.emit('plugin.activated', { pluginId, event, durationMs }));
    return instance;
  }

  private fail(record: PluginRecord, failure: PluginError): void {
    record.state = 'failed';
    const diagnostic: Diagnostic = {
      level: 'error',
      code: failure.code,
      message: failure.message,
      pluginId: record.id,
      // The first detail's location when it has one (the JSON pointer of a contribution, say).
      source: failure.details[0]?.source ?? { file: record.manifestPath },
      ...(failure.hint ? { hint: failure.hint } : {}),
    };
    record.diagnostics.push(diagnostic, ...failure.details.slice(1));
    // At startup a required plugin's failure stops `start()`, whose error lists it; a one-shot
    // command prints the error it got. Either way the host says it once, not the same words twice.
    const reported = (this.starting && record.required) || this.options.callerReportsFailures === true;
    const log = reported ? this.logger.debug.bind(this.logger) : this.logger.error.bind(this.logger);
    log(`plugin ${record.id} failed: ${failure.message}`, { pluginId: record.id, code: failure.code });
    this.background(`hook plugin.failed ${record.id}`, () => this.hooks.emit('plugin.failed', { pluginId: record.id, diagnostic }));
    this.spreadQuarantine(record.id);
  }

  /** Quarantines at run time: records why (once), tells `plugin.failed` subscribers, spreads to dependents. */
  private quarantine(record: PluginRecord, diagnostic: Diagnostic): void {
    if (!quarantine(record, diagnostic)) return;
    this.background(`hook plugin.failed ${record.id}`, () => this.hooks.emit('plugin.failed', { pluginId: record.id, diagnostic }));
    this.spreadQuarantine(record.id);
  }

  /** Quarantines every runnable plugin that (transitively) requires `pluginId`. */
  private spreadQuarantine(pluginId: string): void {
    for (const other of this.plan().records.values()) {
      if (!isRunnable(other) || other.state === 'active' || !other.manifest?.requires?.[pluginId]) continue;
      this.quarantine(other, dependencyFailed(other.id, pluginId, this.record(pluginId)));
    }
  }

  /** Fire-and-forget kernel work, tracked for stop; once stopping, it is simply not started. */
  private background(name: string, work: () => Promise<unknown>): void {
    this.tasks.run(name, work).catch(() => undefined);
  }

  /** Deactivates and unloads one active plugin, so it can be activated afresh. */
  private async unload(id: string, budgetMs = this.timeouts.deactivateMs): Promise<Diagnostic[]> {
    const instance = this.instances.get(id);
    this.instances.delete(id);
    this.activations.delete(id);
    const position = this.activationOrder.indexOf(id);
    if (position >= 0) this.activationOrder.splice(position, 1);
    const record = this.record(id);
    if (record?.state === 'active') record.state = 'discovered';
    return instance ? instance.deactivate(budgetMs) : [];
  }

  /** Activates the plugins that subscribe to `hook` and are not active yet, so their handlers are registered before dispatch. */
  private activateForHook(hook: string): Promise<void> | undefined {
    if (this.stopping) return undefined;
    const pending = this.hookSubscribers.inactive(this.plan(), hook);
    if (pending === undefined) return undefined;
    const event = `onHook:${hook}`;
    return Promise.allSettled(pending.map((r) => this.activate(r.id, event))).then(() => undefined);
  }

  /** The root container, created on first use. */
  async root(): Promise<Container> {
    return (await this.runtime()).root;
  }

  private runtime(): Promise<ContainerRuntime> {
    this.containerRuntime ??= import('./runtime/container-runtime.js').then((module) => {
      const clock: Clock = this.options.clock ?? { now: () => Date.now() };
      const root = module.createRootContainer([
        [ClockToken, clock],
        [ConfigToken, this.settings],
        [HookBusToken, this.hooks],
        [ContributionsToken, this.contributions],
        [ServicesToken, this.services],
        [LoggerToken, this.logger],
        [TaskTrackerToken, this.tasks],
        [HostStatusToken, hostStatus(this.hostVersion, clock.now(), () => this.plan().records.values())],
        ...(this.options.services ?? []),
      ]);
      this.services.bindForInjection(root, this.plan(), (id) => this.instances.get(id));
      return { root, PluginInstance: module.PluginInstance };
    });
    return this.containerRuntime;
  }
}

interface ContainerRuntime {
  readonly root: Container;
  readonly PluginInstance: typeof PluginInstance;
}

const KERNEL_TOKENS: readonly symbol[] = [ClockToken, ConfigToken, HookBusToken, ContributionsToken, ServicesToken, LoggerToken, TaskTrackerToken, HostStatusToken];
