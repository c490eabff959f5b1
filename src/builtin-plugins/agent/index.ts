import {
  AgentRuntimeToken,
  CliCommands,
  ConfigToken,
  ContributionsToken,
  definePlugin,
  DoctorChecks,
  HookBusToken,
  LoggerToken,
  PromptBuilderToken,
  PromptSections,
  ServicesToken,
  TaskTrackerToken,
  type ConfigAccess,
  type ContributionRegistry,
  type HookBus,
  type Logger,
} from '@nexus/plugin-sdk';
import { PromptFiles } from '@nexus/plugin-sdk/prompt';
import { heartbeatSection } from './prompt/heartbeat-section.js';
import { safetySection } from './prompt/safety-section.js';
import { SectionPromptBuilder } from './prompt/section-prompt-builder.js';
import { toolNotesSection } from './prompt/tool-notes-section.js';
import { PromptCommand } from './prompt-command/prompt-command.js';
import { SessionsCommand } from './sessions-command/sessions-command.js';
import { DefaultAgentRuntime } from './runtime/default-agent-runtime.js';
import { ProviderSetupCheck } from './llm/index.js';
import { modelClientFor } from './runtime/model-client-for.js';

/**
 * The agent plugin: the runtime that turns a message into streamed events (model calls, tool
 * loop, history), the builder that assembles the system prompt from every plugin's sections,
 * its own sections (heartbeat, tool notes, safety), `nexus prompt` and `nexus sessions`. Everything is created
 * on first use: no provider is contacted, and no provider config is read, before the first turn.
 */
export default definePlugin({
  register(ctx) {
    // One cache of prompt files per plugin instance; a reload starts afresh. The reader is the
    // workspace plugin's (the files are workspace files), but this instance is the agent's own.
    const files = new PromptFiles();
    ctx.provide(PromptBuilderToken).toDynamicValue((c) => new SectionPromptBuilder(c.get(ContributionsToken), c.get(LoggerToken), c.get(HookBusToken)));
    ctx.provide(AgentRuntimeToken).toDynamicValue((c) => {
      const deps = {
        config: c.get<ConfigAccess>(ConfigToken),
        contributions: c.get<ContributionRegistry>(ContributionsToken),
        hooks: c.get<HookBus>(HookBusToken),
        logger: c.get<Logger>(LoggerToken),
      };
      return new DefaultAgentRuntime({
        ...deps,
        services: c.get(ServicesToken),
        tasks: c.get(TaskTrackerToken),
        prompts: c.get(PromptBuilderToken),
        modelClient: () => modelClientFor(deps),
      });
    });
    ctx.contribute(PromptSections, 'heartbeat').toDynamicValue((c) => heartbeatSection(c.get(ConfigToken), files));
    ctx.contribute(PromptSections, 'tool-notes').toDynamicValue((c) => toolNotesSection(c.get(ConfigToken), files));
    ctx.contribute(PromptSections, 'safety').toConstantValue(safetySection);
    ctx.contribute(CliCommands, 'prompt').to(PromptCommand);
    ctx.contribute(CliCommands, 'sessions').to(SessionsCommand);
    ctx.contribute(DoctorChecks, 'llm-providers').toDynamicValue((c) => new ProviderSetupCheck(c.get(ConfigToken), c.get(ContributionsToken)));
  },
});
