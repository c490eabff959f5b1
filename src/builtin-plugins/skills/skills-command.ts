import { readFileSync } from 'node:fs';
import { inject, injectable } from '@nexus/plugin-sdk';
import { ConfigToken, type CliCommand, type CliCommandContext, type ConfigAccess } from '@nexus/plugin-sdk';
import { setSkillEnabled } from './config-edit.js';
import { loadCatalog, type Catalog } from './skill-catalog.js';
import type { CheckedSkill, SkillProblem } from './skill-types.js';

type Options = { readonly all?: boolean; readonly json?: boolean; readonly content?: boolean };

/** `nexus skills list | show | check | enable | disable`. */
@injectable()
export class SkillsCommand implements CliCommand {
  readonly name = 'skills';

  constructor(@inject(ConfigToken) private readonly config: ConfigAccess) {}

  async run(ctx: CliCommandContext<{ readonly name?: string }, Options>): Promise<number> {
    const catalog = loadCatalog(this.config);
    switch (ctx.subcommand) {
      case 'list':
        return list(catalog, ctx);
      case 'show':
        return show(catalog, ctx);
      case 'check':
        return check(catalog, ctx);
      case 'enable':
      case 'disable':
        return this.toggle(catalog, ctx, ctx.subcommand === 'enable');
      default:
        ctx.stderr('nexus skills: choose list, show, check, enable or disable (nexus skills --help)\n');
        return 2;
    }
  }

  private toggle(catalog: Catalog, ctx: CliCommandContext<{ readonly name?: string }, Options>, enabled: boolean): Promise<number> {
    const name = ctx.args.name ?? '';
    const skill = catalog.skills.find((s) => s.name === name);
    if (!skill) {
      ctx.stderr(`nexus skills ${ctx.subcommand}: no skill named "${name}"; run \`nexus skills list --all\` to see the names\n`);
      return Promise.resolve(1);
    }
    const path = ctx.configPath ?? this.config.path;
    if (!path) {
      ctx.stderr(`nexus skills ${ctx.subcommand}: there is no config file to write; pass --config FILE\n`);
      return Promise.resolve(1);
    }
    const key = skill.metadata.skillKey ?? skill.name;
    try {
      setSkillEnabled(path, key, enabled);
    } catch (error) {
      ctx.stderr(`nexus skills ${ctx.subcommand}: ${(error as Error).message}\n`);
      return Promise.resolve(1);
    }
    if (ctx.options.json) {
      ctx.stdout(`${JSON.stringify({ name: skill.name, key, enabled, config: path })}\n`);
    } else {
      ctx.stdout(`Set skills.entries.${key}.enabled to ${enabled} in ${path}.\n`);
      if (!enabled && skill.metadata.always) ctx.stdout(`Note: ${skill.name} has metadata.always, so it stays eligible.\n`);
    }
    return Promise.resolve(0);
  }
}

function list(catalog: Catalog, ctx: CliCommandContext<{ readonly name?: string }, Options>): Promise<number> {
  const skills = ctx.options.all ? catalog.skills : catalog.skills.filter((s) => s.eligible);
  if (ctx.options.json) {
    const out = {
      skills: skills.map(summary),
      ...(ctx.options.all ? { shadowed: catalog.shadowed.map((s) => ({ name: s.name, source: s.source, file: s.file, shadowedBy: s.shadowedBy })) } : {}),
      problems: catalog.problems,
    };
    ctx.stdout(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    if (skills.length === 0) ctx.stdout(ctx.options.all ? 'No skills found.\n' : 'No eligible skills (nexus skills list --all shows every one).\n');
    for (const s of skills) {
      const state = s.eligible ? 'eligible' : `ineligible: ${s.reasons.join('; ')}`;
      ctx.stdout(`${s.metadata.emoji ? `${s.metadata.emoji} ` : ''}${s.name}  [${s.source}]  ${s.description}\n    ${s.file}\n    ${state}\n`);
    }
    if (ctx.options.all) {
      for (const s of catalog.shadowed) ctx.stdout(`${s.name}  [${s.source}]  shadowed by ${s.shadowedBy}\n    ${s.file}\n`);
    }
    reportProblems(catalog.problems, ctx);
  }
  return Promise.resolve(0);
}

function show(catalog: Catalog, ctx: CliCommandContext<{ readonly name?: string }, Options>): Promise<number> {
  const skill = catalog.skills.find((s) => s.name === ctx.args.name);
  if (!skill) {
    ctx.stderr(`nexus skills show: no skill named "${ctx.args.name ?? ''}"; run \`nexus skills list --all\` to see the names\n`);
    return Promise.resolve(1);
  }
  // Printing the file is reading data; nothing in it is run.
  const content = ctx.options.content ? readFileSync(skill.file, 'utf8') : undefined;
  if (ctx.options.json) {
    ctx.stdout(`${JSON.stringify({ ...summary(skill), homepage: skill.homepage, metadata: skill.metadata, ...(content !== undefined ? { content } : {}) }, null, 2)}\n`);
    return Promise.resolve(0);
  }
  const m = skill.metadata;
  const lines = [
    `${m.emoji ? `${m.emoji} ` : ''}${skill.name}`,
    `  description: ${skill.description}`,
    ...(skill.homepage ? [`  homepage:    ${skill.homepage}`] : []),
    `  file:        ${skill.file}`,
    `  source:      ${skill.source}`,
    `  eligible:    ${skill.eligible ? 'yes' : `no (${skill.reasons.join('; ')})`}`,
    ...(m.always ? ['  always:      yes'] : []),
    ...(m.os.length ? [`  os:          ${m.os.join(', ')}`] : []),
    ...(m.requires.bins.length ? [`  bins:        ${m.requires.bins.join(', ')}`] : []),
    ...(m.requires.anyBins.length ? [`  anyBins:     ${m.requires.anyBins.join(', ')}`] : []),
    ...(m.requires.env.length ? [`  env:         ${m.requires.env.join(', ')}`] : []),
    ...(m.requires.config.length ? [`  config:      ${m.requires.config.join(', ')}`] : []),
  ];
  ctx.stdout(`${lines.join('\n')}\n`);
  if (content !== undefined) ctx.stdout(`\n${content}${content.endsWith('\n') ? '' : '\n'}`);
  return Promise.resolve(0);
}

function check(catalog: Catalog, ctx: CliCommandContext<{ readonly name?: string }, Options>): Promise<number> {
  const eligible = catalog.skills.filter((s) => s.eligible);
  const ineligible = catalog.skills.filter((s) => !s.eligible);
  if (ctx.options.json) {
    ctx.stdout(`${JSON.stringify({ eligible: eligible.map((s) => s.name), ineligible: ineligible.map((s) => ({ name: s.name, reasons: s.reasons })), problems: catalog.problems }, null, 2)}\n`);
  } else {
    ctx.stdout(`${eligible.length} eligible, ${ineligible.length} ineligible, ${catalog.problems.length} unreadable.\n`);
    for (const s of ineligible) ctx.stdout(`  ${s.name}: ${s.reasons.join('; ')}\n`);
    reportProblems(catalog.problems, ctx);
  }
  return Promise.resolve(catalog.problems.length > 0 ? 1 : 0);
}

function summary(s: CheckedSkill): Record<string, unknown> {
  return { name: s.name, description: s.description, file: s.file, source: s.source, eligible: s.eligible, reasons: s.reasons };
}

function reportProblems(problems: readonly SkillProblem[], ctx: CliCommandContext<{ readonly name?: string }, Options>): void {
  for (const p of problems) ctx.stderr(`${formatProblem(p)}\n`);
}

export function formatProblem(p: SkillProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.message}; ${p.hint}`;
}
