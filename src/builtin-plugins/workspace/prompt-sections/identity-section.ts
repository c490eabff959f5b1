import type { ConfigAccess, PromptSection } from '@nexus/plugin-sdk';
import { DerivedSettings } from '@nexus/plugin-sdk/prompt';
import { readIdentity } from './profile-settings.js';

/**
 * `identity`: who the agent is. Only the fields that are set appear; with none, nothing does.
 * The text depends on the section alone, so it is made once per config, not on every turn.
 */
export function identitySection(config: ConfigAccess): PromptSection {
  const text = new DerivedSettings<string | undefined>();
  return {
    order: 100,
    render: () => text.get([config.section('identity')], () => identityText(config)),
  };
}

function identityText(config: ConfigAccess): string | undefined {
  const identity = readIdentity(config);
  const fields = [
    ['name', identity.name],
    ['creature', identity.creature],
    ['vibe', identity.vibe],
    ['emoji', identity.emoji],
  ].filter((field): field is [string, string] => field[1] !== undefined);
  if (fields.length === 0) return undefined;
  return `Your identity: ${fields.map(([key, value]) => `${key} ${value}`).join('; ')}.`;
}
