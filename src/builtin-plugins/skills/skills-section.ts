import type { ConfigAccess, PromptSection } from '@nexus/plugin-sdk';
import { loadCatalog } from './skill-catalog.js';

/**
 * `skills`: the eligible skills, one line each with the path of its SKILL.md, so the agent reads a
 * skill's instructions only when a task calls for it. The skill text itself never goes in.
 * Folders are read on each render, so a skill added or fixed shows up on the next turn.
 */
export function skillsSection(config: ConfigAccess): PromptSection {
  return {
    order: 600,
    render: () => {
      const eligible = loadCatalog(config).skills.filter((skill) => skill.eligible);
      if (eligible.length === 0) return undefined;
      const lines = eligible.map((s) => `- ${s.metadata.emoji ? `${s.metadata.emoji} ` : ''}${s.name}: ${oneLine(s.description)} (${s.file})`);
      return [
        '## Skills',
        'These skills are available. When a task matches a skill\'s description, read its instructions first with the read_skill tool (or its SKILL.md at the path given), then follow them.',
        ...lines,
      ].join('\n');
    },
  };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
