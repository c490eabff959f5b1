import { inject, injectable } from '@nexus/plugin-sdk';
import { ConfigToken, type ConfigAccess, type DoctorCheck, type DoctorFinding } from '@nexus/plugin-sdk';
import { loadCatalog } from './skill-catalog.js';

/** `nexus doctor`: which skills are ineligible and why, and which SKILL.md files cannot be read. */
@injectable()
export class SkillsCheck implements DoctorCheck {
  readonly id = 'skills';
  readonly description = 'Reports ineligible skills with their reasons, and SKILL.md files whose front matter is broken.';

  constructor(@inject(ConfigToken) private readonly config: ConfigAccess) {}

  run(): Promise<readonly DoctorFinding[]> {
    const catalog = loadCatalog(this.config);
    const findings: DoctorFinding[] = [];
    for (const p of catalog.problems) {
      findings.push({ level: 'error', message: `skill ${p.file}:${p.line}:${p.column}: ${p.message}`, hint: p.hint });
    }
    for (const s of catalog.skills.filter((skill) => !skill.eligible)) {
      const disabled = s.reasons.length === 1 && s.reasons[0]?.startsWith('disabled in ');
      const hint = disabled ? `\`nexus skills enable ${s.name}\` turns it back on` : `${s.file}; \`nexus skills show ${s.name}\` lists its requirements`;
      findings.push({ level: 'warning', message: `skill ${s.name} is not eligible: ${s.reasons.join('; ')}`, hint });
    }
    if (findings.length === 0) {
      const count = catalog.skills.length;
      findings.push({ level: 'info', message: count === 0 ? 'no skills found' : `all ${count} skills are eligible` });
    }
    return Promise.resolve(findings);
  }
}
