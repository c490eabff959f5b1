import type { ConfigAccess, PromptSection } from '@nexus/plugin-sdk';
import { DerivedSettings } from '@nexus/plugin-sdk/prompt';
import { readUser } from './profile-settings.js';

/**
 * `user`: who the agent works for. The user is named by how they like to be addressed, else by
 * name; the full name is added when it differs from the address. The text depends on the
 * section alone, so it is made once per config, not on every turn.
 */
export function userProfileSection(config: ConfigAccess): PromptSection {
  const text = new DerivedSettings<string | undefined>();
  return {
    order: 200,
    render: () => text.get([config.section('user')], () => userText(config)),
  };
}

function userText(config: ConfigAccess): string | undefined {
  const user = readUser(config);
  const label = user.preferred_address ?? user.name;
  const details = [
    user.name !== undefined && user.name !== label ? `name: ${user.name}` : undefined,
    user.pronouns !== undefined ? `pronouns: ${user.pronouns}` : undefined,
    user.timezone !== undefined ? `time zone: ${user.timezone}` : undefined,
    user.notes !== undefined ? `notes: ${user.notes}` : undefined,
  ].filter((detail): detail is string => detail !== undefined);
  if (label === undefined && details.length === 0) return undefined;
  const who = label !== undefined ? `Address the user as ${label}` : 'About the user';
  return details.length === 0 ? `${who}.` : `${who} (${details.join('; ')}).`;
}
