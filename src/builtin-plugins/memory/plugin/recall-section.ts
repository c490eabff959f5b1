import type { PromptContext, PromptSection } from '@nexus/plugin-sdk';
import { renderRecall } from '../daily-log/index.js';
import type { MemoryHost } from './memory-host.js';
import type { SessionAccess } from './session-access.js';

/** After the workspace files (MEMORY.md is 450), before the heartbeat (500). */
export const RECALL_ORDER = 460;

/**
 * The last `memory.recall.max_lines` daily-log lines of today and the days before
 * (`memory.recall.days`) that `memory.scope` lets this session see, with a marker for what gave
 * way. Lines are tagged with the session that wrote them, so `session` scope recalls only its own.
 */
export class RecallSection implements PromptSection {
  readonly order = RECALL_ORDER;

  constructor(
    private readonly host: MemoryHost,
    private readonly access: SessionAccess,
  ) {}

  async render(context: PromptContext): Promise<string | undefined> {
    if (this.host.settings().recall.days === 0) return undefined;
    const [engine, who] = await Promise.all([this.host.engine(), this.access.forSession(context.sessionId, context.metadata)]);
    const recall = await engine.recall({ channel: who.channel ?? context.channel, ...(who.session ? { session: who.session } : {}) });
    return renderRecall(recall);
  }
}
