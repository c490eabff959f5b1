import { readFile } from 'node:fs/promises';
import { inject, injectable } from '@nexus/plugin-sdk';
import { ConfigToken, type ConfigAccess, type Tool, type ToolResult } from '@nexus/plugin-sdk';
import { loadCatalog } from './skill-catalog.js';

/**
 * `read_skill`: the agent reads an eligible skill's SKILL.md when a task calls for it, so the
 * prompt carries one line per skill rather than every skill's text. `{baseDir}` in the text
 * becomes the skill's folder (as in Go), so the skill can name files beside it. The text is
 * returned to the model as data; nothing in it is run.
 */
@injectable()
export class ReadSkillTool implements Tool<{ readonly name: string }> {
  constructor(@inject(ConfigToken) private readonly config: ConfigAccess) {}

  async execute(input: { readonly name: string }): Promise<ToolResult> {
    const catalog = loadCatalog(this.config);
    const skill = catalog.skills.find((s) => s.name === input.name);
    if (!skill) {
      const names = catalog.skills.filter((s) => s.eligible).map((s) => s.name);
      return { isError: true, content: `no skill named "${input.name}"; the available skills are: ${names.join(', ') || 'none'}` };
    }
    if (!skill.eligible) return { isError: true, content: `the skill ${skill.name} is not available here: ${skill.reasons.join('; ')}` };
    const text = await readFile(skill.file, 'utf8');
    return { content: text.replaceAll('{baseDir}', skill.dir) };
  }
}
