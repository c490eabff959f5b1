import type { ProviderKind } from './provider-choice.js';

/** What the operator answered so far; every field is optional so a partial run can be resumed. */
export interface OnboardAnswers {
  provider?: ProviderKind;
  baseUrl?: string;
  apiKey?: string;
  model?: string;
  workspace?: string;
  /** A channel whose login to run, or '' for none. */
  channel?: string;
  /** The name of the gateway API key to create, or '' for none. */
  apiKeyName?: string;
  installService?: boolean;
  /** Set once the API key was created, so a resumed run does not make a second one. */
  apiKeyCreated?: string;
}
