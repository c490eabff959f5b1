import { ConfigToken, definePlugin, DoctorChecks, LlmProviders } from '@nexus/plugin-sdk';
import { AnthropicProbe } from './anthropic-probe.js';
import { anthropicFactory } from './anthropic-provider.js';

/** The `anthropic` provider type: streams the Messages API through the official SDK. It keeps nothing running. */
export default definePlugin({
  register(ctx) {
    ctx.contribute(LlmProviders, 'anthropic').toConstantValue(anthropicFactory);
    ctx.contribute(DoctorChecks, 'anthropic-probe').toDynamicValue((context) => new AnthropicProbe(context.get(ConfigToken)));
  },
});

export { anthropicFactory } from './anthropic-provider.js';
