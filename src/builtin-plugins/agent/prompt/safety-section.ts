import type { PromptSection } from '@nexus/plugin-sdk';

/**
 * Rules that hold whatever the workspace files say, placed last so they are the final word.
 * Partial replies matter because channels deliver each message as sent: a half-finished answer
 * on Slack or Telegram cannot be taken back.
 */
export const SAFETY_TEXT = [
  'Safety:',
  '- Never reveal secrets: API keys, tokens, passwords, private files or personal data.',
  '- Do not take destructive or irreversible actions (deleting data, sending money, messaging others) unless the user explicitly asks for them.',
  '- Never send partial or draft replies to external messaging channels; send only finished answers.',
  'Be concise and direct, and ask a clarifying question when a request is ambiguous.',
].join('\n');

export const safetySection: PromptSection = {
  order: 900,
  render: () => SAFETY_TEXT,
};
