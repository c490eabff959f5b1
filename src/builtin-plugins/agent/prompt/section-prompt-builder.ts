import {
  PromptSections,
  type AssembledPrompt,
  type Contribution,
  type ContributionRegistry,
  type HookBus,
  type Logger,
  type PromptBuilder,
  type PromptContext,
  type PromptSection,
  type RenderedPromptSection,
} from '@nexus/plugin-sdk';

type Failure = AssembledPrompt['failed'][number];
type Outcome = { readonly ok: true; readonly section: RenderedPromptSection | undefined } | { readonly ok: false; readonly failure: Failure };

interface Lineup {
  readonly contributed: readonly Contribution<PromptSection>[];
  readonly declaredCount: number;
  readonly ordered: readonly Contribution<PromptSection>[];
  readonly malformed: readonly Failure[];
  /** Declared names no contribution answers for. */
  readonly missing: readonly string[];
}

const fail = (entry: Contribution<PromptSection>, error: string): Outcome => ({ ok: false, failure: { name: entry.name, pluginId: entry.pluginId, error } });
const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Sections are separated by a blank line so each reads as its own paragraph. */
const SEPARATOR = '\n\n';

/**
 * Builds the system prompt from every `PromptSections` contribution: ordered by `order` (then
 * name, so equal orders are stable), rendered concurrently, blank output left out. A section
 * that throws, returns something other than text, or takes longer than the deadline is reported
 * in `failed` and left out, so one broken plugin never costs the agent its whole prompt.
 */
export class SectionPromptBuilder implements PromptBuilder {
  /**
   * Every section name a manifest has declared to this builder. A plugin that fails to activate
   * drops out of the declared names afterwards, so remembering them keeps reporting its sections
   * on later builds too, instead of only the first.
   */
  private readonly declared = new Set<string>();
  /**
   * The sections in render order and the malformed ones, worked out once per set of
   * contributions (the registry hands back the same list until a plugin changes) and per count of
   * declared names, instead of checked and sorted again on every turn.
   */
  private lineup: Lineup | undefined;

  constructor(
    private readonly contributions: ContributionRegistry,
    private readonly logger: Logger,
    /** Fires `prompt.build`, which may add, remove or reorder the rendered sections. */
    private readonly hooks: HookBus,
    private readonly sectionDeadlineMs = 5_000,
  ) {}

  async build(context: PromptContext): Promise<AssembledPrompt> {
    for (const name of this.contributions.names(PromptSections)) this.declared.add(name);
    const lineup = this.lineupFor(await this.contributions.getAll(PromptSections));
    const failed: Failure[] = [...lineup.malformed];

    const deadline = new RenderDeadline(this.sectionDeadlineMs);
    let outcomes: readonly Outcome[];
    try {
      const started = lineup.ordered.map((entry) => this.render(entry, context, deadline));
      // Synchronous sections (most of them, most of the time) are not awaited one by one.
      outcomes = started.some(isPromise) ? await Promise.all(started) : (started as Outcome[]);
    } finally {
      deadline.clear();
    }
    const rendered: RenderedPromptSection[] = [];
    for (const outcome of outcomes) {
      if (!outcome.ok) failed.push(outcome.failure);
      else if (outcome.section) rendered.push(outcome.section);
    }
    if (lineup.missing.length > 0) failed.push(...(await this.unavailable(lineup.missing)));
    for (const failure of failed) this.logger.warn(`prompt section ${failure.name} left out: ${failure.error}`, { pluginId: failure.pluginId, section: failure.name });
    const { sessionId, agentId, channel, message, metadata, heartbeat } = context;
    const { sections } = await this.hooks.modify('prompt.build', { context: { sessionId, agentId, channel, message, metadata, heartbeat }, sections: rendered });
    return { text: sections.map((s) => s.text).join(SEPARATOR), sections, failed };
  }

  private lineupFor(contributed: readonly Contribution<PromptSection>[]): Lineup {
    if (this.lineup?.contributed === contributed && this.lineup.declaredCount === this.declared.size) return this.lineup;
    const ordered: Contribution<PromptSection>[] = [];
    const malformed: Failure[] = [];
    for (const entry of contributed) {
      const problem = shapeProblem(entry.value);
      if (problem) malformed.push({ name: entry.name, pluginId: entry.pluginId, error: problem });
      else ordered.push(entry);
    }
    ordered.sort((a, b) => a.value.order - b.value.order || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const have = new Set(contributed.map((c) => c.name));
    const missing = [...this.declared].filter((name) => !have.has(name));
    this.lineup = { contributed, declaredCount: this.declared.size, ordered, malformed, missing };
    return this.lineup;
  }

  /** Renders one section: an outcome at once when it renders synchronously, a promise otherwise. */
  private render(entry: Contribution<PromptSection>, context: PromptContext, deadline: RenderDeadline): Outcome | Promise<Outcome> {
    const done = (value: unknown): Outcome => {
      if (value === undefined || value === null) return { ok: true, section: undefined };
      if (typeof value !== 'string') return fail(entry, `render() returned ${typeof value}, expected a string or undefined`);
      const text = value.trim();
      return { ok: true, section: text === '' ? undefined : { name: entry.name, pluginId: entry.pluginId, text } };
    };
    try {
      const rendered = entry.value.render(context);
      if (!isPromise(rendered)) return done(rendered);
      return Promise.race([rendered, deadline.passed()]).then(done, (error: unknown) => fail(entry, message(error)));
    } catch (error) {
      return fail(entry, message(error));
    }
  }

  /** Sections a manifest declares whose plugin could not be activated: say so instead of silently shrinking the prompt. */
  private async unavailable(missing: readonly string[]): Promise<Failure[]> {
    return Promise.all(
      missing.map(async (name): Promise<Failure> => {
        try {
          await this.contributions.get(PromptSections, name);
          return { name, pluginId: 'unknown', error: 'its plugin did not provide it' };
        } catch (error) {
          return { name, pluginId: pluginIdIn((error as Error).message), error: (error as Error).message };
        }
      }),
    );
  }
}

/**
 * The deadline of one build's sections. Every section starts rendering in the same tick, so one
 * timer, started when the first section turns out to be asynchronous, times them all; a timer
 * per section per turn was a measurable share of a turn's cost.
 */
class RenderDeadline {
  private timer: NodeJS.Timeout | undefined;
  private expiry: Promise<never> | undefined;

  constructor(private readonly ms: number) {}

  /** Rejects once the deadline has passed. */
  passed(): Promise<never> {
    this.expiry ??= new Promise<never>((_, reject) => {
      this.timer = setTimeout(() => reject(new Error(`did not render within ${this.ms} ms`)), this.ms);
    });
    return this.expiry;
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}

function shapeProblem(section: PromptSection): string | undefined {
  if (typeof section !== 'object' || section === null || typeof section.render !== 'function') return 'it has no render() method';
  if (typeof section.order !== 'number' || !Number.isFinite(section.order)) return `its order is ${String(section.order)}, expected a finite number`;
  return undefined;
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as Promise<unknown> | undefined)?.then === 'function';
}

/** The registry's errors start "plugin <id> contributes …"; otherwise the owner is unknown. */
function pluginIdIn(message: string): string {
  return /^plugin (\S+) /.exec(message)?.[1] ?? 'unknown';
}
