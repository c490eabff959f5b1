import type { ConfigAccess, PromptSection } from '@nexus/plugin-sdk';
import { DerivedSettings } from '@nexus/plugin-sdk/prompt';
import { isEmpty, readIdentity, readUser } from './profile-settings.js';

/**
 * Shown while the agent's identity or the user's profile is entirely unset, so the first
 * conversations fill them in instead of the agent working without them. The text depends on
 * those two sections alone, so it is made once per config, not on every turn.
 */
export function bootstrapGuidanceSection(config: ConfigAccess): PromptSection {
  const text = new DerivedSettings<string | undefined>();
  return {
    order: 300,
    render: () => text.get([config.section('identity'), config.section('user')], () => guidanceText(config)),
  };
}

function guidanceText(config: ConfigAccess): string | undefined {
  const missing = [
    isEmpty(readIdentity(config)) ? 'your own identity (name, creature, vibe, emoji)' : undefined,
    isEmpty(readUser(config)) ? "the user's profile (how to address them, pronouns, time zone)" : undefined,
  ].filter((item): item is string => item !== undefined);
  if (missing.length === 0) return undefined;
  return `Getting started: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set yet. Ask the user about ${missing.length > 1 ? 'them' : 'it'}, offering a few suggestions they can pick from.`;
}
