import { ConfigToken, definePlugin, DoctorChecks, LlmProviders } from '@nexus/plugin-sdk';
import { openaiFactory } from './openai-provider.js';
import { OpenAIProbe } from './openai-probe.js';

/**
 * The `openai` provider type: streams Chat Completions through the official SDK, for OpenAI and
 * every compatible server (Ollama, vLLM, OpenRouter) by `base_url`. It keeps nothing running.
 */
export default definePlugin({
  register(ctx) {
    ctx.contribute(LlmProviders, 'openai').toConstantValue(openaiFactory);
    ctx.contribute(DoctorChecks, 'openai-probe').toDynamicValue((context) => new OpenAIProbe(context.get(ConfigToken)));
  },
});

export { openaiFactory } from './openai-provider.js';
