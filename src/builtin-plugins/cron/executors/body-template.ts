/** The values a webhook body template can use. */
export interface TemplateValues {
  readonly 'job.id': string;
  readonly 'job.type': string;
  readonly 'run.id': string;
  readonly 'run.kind': string;
  readonly 'run.attempt': string;
  readonly 'run.scheduled_at': string;
  readonly 'run.scheduled_at_ms': string;
  readonly now: string;
}

export const TEMPLATE_VARIABLES: readonly (keyof TemplateValues)[] = ['job.id', 'job.type', 'run.id', 'run.kind', 'run.attempt', 'run.scheduled_at', 'run.scheduled_at_ms', 'now'];

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g;

/** Placeholders naming no known variable, in order of appearance. */
export function unknownTemplateVariables(template: string): string[] {
  const unknown: string[] = [];
  for (const [, name] of template.matchAll(PLACEHOLDER)) {
    if (!(TEMPLATE_VARIABLES as readonly string[]).includes(name!) && !unknown.includes(name!)) unknown.push(name!);
  }
  return unknown;
}

/**
 * Replaces `{{name}}` placeholders. The values are ids, kinds, numbers and ISO times (job ids allow
 * only letters, digits, `_`, `.` and `-`), so they need no escaping inside a JSON string. An
 * unknown placeholder is left as written; config checks report it before a job is accepted.
 */
export function renderTemplate(template: string, values: TemplateValues): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => (name in values ? values[name as keyof TemplateValues] : whole));
}
