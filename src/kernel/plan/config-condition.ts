import type { ConfigCondition } from '../manifest/index.js';
import { valueAt } from '../schema/index.js';

/** The condition in words, for "why is this enabled" answers. */
export function describeCondition(condition: ConfigCondition): string {
  if (condition.equals !== undefined) return `${condition.pointer} is ${JSON.stringify(condition.equals)}`;
  if (condition.matches !== undefined) return `${condition.pointer} matches /${condition.matches}/`;
  return `${condition.pointer} is ${condition.empty === true ? 'empty' : 'set'}`;
}

/** Whether the config value at `condition.pointer` passes its tests (all that are given). */
export function conditionHolds(condition: ConfigCondition, data: unknown): boolean {
  const value = valueAt(data, condition.pointer);
  const isEmpty = value === undefined || value === null || value === '' || (typeof value === 'object' && Object.keys(value).length === 0);
  if (condition.empty !== undefined && condition.empty !== isEmpty) return false;
  if (condition.matches !== undefined && !(scalarText(value) !== undefined && new RegExp(condition.matches).test(scalarText(value)!))) return false;
  if (condition.equals !== undefined && value !== condition.equals) return false;
  return condition.empty !== undefined || condition.matches !== undefined || condition.equals !== undefined || !isEmpty;
}

/**
 * What `matches` tests: a string as it is, a boolean or number by its JSON text (so
 * `{pointer: "/mcp/server/enabled", matches: "^true$"}` works); objects and arrays never match.
 */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return typeof value === 'boolean' || typeof value === 'number' ? String(value) : undefined;
}
