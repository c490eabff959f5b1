import type { ConfigAccess } from '@nexus/plugin-sdk';
import { ModelsProbe, type ModelsProbeSpec } from '@nexus/plugin-sdk/provider';
import { ANTHROPIC_API_URL, ANTHROPIC_KEY_ENV, anthropicClient } from './anthropic-client.js';
import { providerError } from './error-mapping.js';

const anthropicModels: ModelsProbeSpec = {
  type: 'anthropic',
  keyEnv: ANTHROPIC_KEY_ENV,
  defaultBaseUrl: ANTHROPIC_API_URL,
  async listModels(entry, options) {
    const { client } = anthropicClient(entry);
    const page = await client.models.list({}, options);
    return page.data.map((m) => m.id);
  },
  providerError,
  // Aliases such as `claude-sonnet-4-5` are not listed, only the dated ids they point to.
  listsModel: (listed, model) => listed.some((id) => id === model || id.startsWith(`${model}-`)),
  lister: 'the API',
};

/** `nexus doctor --probe`: lists the models of every `anthropic` entry, which proves reachability and the key. */
export class AnthropicProbe extends ModelsProbe {
  constructor(config: ConfigAccess, env?: Readonly<Record<string, string | undefined>>) {
    super(anthropicModels, config, env);
  }
}
