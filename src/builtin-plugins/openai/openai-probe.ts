import type { ConfigAccess } from '@nexus/plugin-sdk';
import { ModelsProbe, type ModelsProbeSpec } from '@nexus/plugin-sdk/provider';
import { providerError } from './error-mapping.js';
import { OPENAI_API_URL, OPENAI_KEY_ENV, openaiClient } from './openai-client.js';

const openaiModels: ModelsProbeSpec = {
  type: 'openai',
  keyEnv: OPENAI_KEY_ENV,
  defaultBaseUrl: OPENAI_API_URL,
  async listModels(entry, options) {
    const { client } = openaiClient(entry);
    const page = await client.models.list(options);
    return page.data.map((m) => m.id);
  },
  providerError,
  listsModel: (listed, model) => listed.includes(model),
  lister: 'the server',
  missingModelAdvice: ' (for Ollama, pull the model first)',
};

/** `nexus doctor --probe`: lists the models of every `openai` entry, which proves reachability and the key. */
export class OpenAIProbe extends ModelsProbe {
  constructor(config: ConfigAccess, env?: Readonly<Record<string, string | undefined>>) {
    super(openaiModels, config, env);
  }
}
