import { CliCommands, ConfigToken, definePlugin, DoctorChecks, PromptSections, Tools } from '@nexus/plugin-sdk';
import { ReadSkillTool } from './read-skill-tool.js';
import { SkillsCheck } from './skills-check.js';
import { SkillsCommand } from './skills-command.js';
import { skillsSection } from './skills-section.js';

/**
 * The skills plugin: finds SKILL.md folders (workspace, $NEXUS_HOME, bundled, extra dirs), decides
 * which are eligible on this machine, lists the eligible ones in the system prompt for the agent
 * to read on demand with the read_skill tool, and gives `nexus skills` and a doctor check. Skill files are data: their
 * front matter is parsed, nothing in them is run or imported.
 */
export default definePlugin({
  register(ctx) {
    ctx.contribute(CliCommands, 'skills').to(SkillsCommand);
    ctx.contribute(DoctorChecks, 'skills').to(SkillsCheck);
    ctx.contribute(Tools, 'read_skill').to(ReadSkillTool);
    ctx.contribute(PromptSections, 'skills').toDynamicValue((c) => skillsSection(c.get(ConfigToken)));
  },
});
