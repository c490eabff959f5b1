import type { ConfigAccess, PromptSection } from '../../../contracts/index.js';
import { readIdentity } from './profile-settings.js';

/** `identity`: who the agent is. Only the fields that are set appear; with none, nothing does. */
export function identitySection(config: ConfigAccess): PromptSection {
  return {
    order: 100,
    render() {
      const identity = readIdentity(config);
      const fields = [
        ['name', identity.name],
        ['creature', identity.creature],
        ['vibe', identity.vibe],
        ['emoji', identity.emoji],
      ].filter((field): field is [string, string] => field[1] !== undefined);
      if (fields.length === 0) return undefined;
      return `Your identity: ${fields.map(([key, value]) => `${key} ${value}`).join('; ')}.`;
    },
  };
}
