import type { ModifyingHookName } from '@nexus/plugin-sdk';

/**
 * What a modifying hook's handler must hand back, checked after every handler so a bad return
 * is pinned on the plugin that made it (and skipped) instead of failing the call site later;
 * and the field whose being set is a veto that ends the chain.
 */
interface HookRule {
  /** What is wrong with `value`, or undefined if the call site can use it. */
  readonly problem: (value: Record<string, unknown>) => string | undefined;
  readonly veto?: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: Record<string, unknown>, key: string) => (typeof value[key] === 'string' ? undefined : `${key} is ${describe(value[key])}, expected a string`);
const optionalText = (value: Record<string, unknown>, key: string) =>
  value[key] === undefined || (typeof value[key] === 'string' && value[key] !== '') ? undefined : `${key} is ${describe(value[key])}, expected a non-empty string or undefined`;

export const MODIFYING_HOOK_RULES: Readonly<Record<ModifyingHookName, HookRule>> = {
  'tool.before': { problem: (v) => optionalText(v, 'deny'), veto: 'deny' },
  'tool.after': {
    problem: (v) =>
      isRecord(v.result) && typeof v.result.content === 'string' && typeof v.result.isError === 'boolean'
        ? undefined
        : `result is ${describe(v.result)}, expected { content: string, isError: boolean }`,
  },
  'message.receiving': {
    problem: (v) => text(v, 'content') ?? (isRecord(v.metadata) ? undefined : `metadata is ${describe(v.metadata)}, expected an object`) ?? (Array.isArray(v.attachments) ? undefined : `attachments is ${describe(v.attachments)}, expected an array`) ?? optionalText(v, 'drop'),
    veto: 'drop',
  },
  'message.sending': { problem: (v) => text(v, 'content') ?? optionalText(v, 'cancel'), veto: 'cancel' },
  'prompt.build': {
    problem: (v) => {
      if (!Array.isArray(v.sections)) return `sections is ${describe(v.sections)}, expected an array`;
      const index = v.sections.findIndex((s) => !isRecord(s) || typeof s.name !== 'string' || typeof s.pluginId !== 'string' || typeof s.text !== 'string');
      return index === -1 ? undefined : `sections[${index}] is ${describe(v.sections[index])}, expected { name, pluginId, text } (strings)`;
    },
  },
  'turn.before': { problem: (v) => optionalText(v, 'provider') ?? optionalText(v, 'model') },
};

/** Why a handler's return cannot be passed on, or undefined when it can. Hooks without a rule (tests' own) take anything. */
export function returnedValueProblem(hook: string, value: unknown): string | undefined {
  const rule = (MODIFYING_HOOK_RULES as Record<string, HookRule | undefined>)[hook];
  if (!rule) return undefined;
  if (!isRecord(value)) return `it returned ${describe(value)}; return the value it was given (changed or not)`;
  return rule.problem(value);
}

/** Whether `value` vetoes the call, which ends the chain. */
export function isVeto(hook: string, value: unknown): boolean {
  const veto = (MODIFYING_HOOK_RULES as Record<string, HookRule | undefined>)[hook]?.veto;
  return veto !== undefined && (value as Record<string, unknown>)[veto] !== undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : typeof value;
}
