import { CliCommands, ConfigToken, definePlugin, DoctorChecks, PromptSections } from '@nexus/plugin-sdk';
import { PromptFiles } from '@nexus/plugin-sdk/prompt';
import { bootstrapGuidanceSection, identitySection, PROMPT_FILES, userProfileSection, workspaceFileSection } from './prompt-sections/index.js';
import { SetupCommand } from './setup-command.js';
import { WorkspaceFilesCheck } from './workspace-files-check.js';

/**
 * The workspace plugin: its manifest owns the workspace, identity and user sections; its code
 * seeds the workspace files (`nexus setup`), checks them (`nexus doctor`) and renders them,
 * with the identity and user profile, into the system prompt. It keeps nothing running, so it
 * needs no activate or deactivate.
 */
export default definePlugin({
  register(ctx) {
    ctx.contribute(CliCommands, 'setup').to(SetupCommand);
    ctx.contribute(DoctorChecks, 'workspace-files').to(WorkspaceFilesCheck);
    ctx.contribute(PromptSections, 'identity').toDynamicValue((c) => identitySection(c.get(ConfigToken)));
    ctx.contribute(PromptSections, 'user-profile').toDynamicValue((c) => userProfileSection(c.get(ConfigToken)));
    ctx.contribute(PromptSections, 'bootstrap-guidance').toDynamicValue((c) => bootstrapGuidanceSection(c.get(ConfigToken)));
    // One cache of prompt files per plugin instance; a reload starts afresh.
    const files = new PromptFiles();
    for (const file of PROMPT_FILES) {
      ctx.contribute(PromptSections, file.section).toDynamicValue((c) => workspaceFileSection(c.get(ConfigToken), file.kind, files));
    }
  },
});
