import { createToken } from './tokens.js';

/** What a prompt section sees when the system prompt for one turn is assembled. */
export interface PromptContext {
  readonly sessionId: string;
  readonly agentId: string;
  readonly channel: string;
  /** The inbound message text. */
  readonly message: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  /** A heartbeat message (metadata.heartbeat, or text "heartbeat …"). */
  readonly heartbeat: boolean;
  readonly signal: AbortSignal;
}

/**
 * One part of the system prompt. Sections are ordered by `order` (then name); a section that
 * renders nothing is left out. Contribute it with `ctx.contribute(PromptSections, name)` and
 * declare it under `contributes.promptSections`.
 */
export interface PromptSection {
  /** Position in the prompt; the built-ins use 100 (identity) … 900 (safety). */
  readonly order: number;
  render(context: PromptContext): Promise<string | undefined> | string | undefined;
}

export interface RenderedPromptSection {
  readonly name: string;
  readonly pluginId: string;
  readonly text: string;
}

export interface AssembledPrompt {
  readonly text: string;
  /** The sections that rendered something, in prompt order. */
  readonly sections: readonly RenderedPromptSection[];
  /** Sections that failed; the prompt is built without them. */
  readonly failed: readonly { readonly name: string; readonly pluginId: string; readonly error: string }[];
}

/** Assembles the system prompt from every contributed section. Swappable by integrators. */
export interface PromptBuilder {
  build(context: PromptContext): Promise<AssembledPrompt>;
}

export const PromptSections = createToken<PromptSection>('nexus.contrib.prompt-sections');
export const PromptBuilderToken = createToken<PromptBuilder>('nexus.prompt-builder');
