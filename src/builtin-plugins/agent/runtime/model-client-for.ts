import { LlmProviders, type ConfigAccess, type ContributionRegistry, type HookBus, type Logger } from '@nexus/plugin-sdk';
import { createModelClient, type ModelClient } from '../llm/index.js';

/**
 * The runtime's model client for the current configuration. Provider plugins are activated only
 * when the chain first needs their type, so a turn never loads a provider it does not use.
 */
export function modelClientFor(deps: { config: ConfigAccess; contributions: ContributionRegistry; hooks: HookBus; logger: Logger }): ModelClient {
  const { contributions } = deps;
  return createModelClient({
    llm: deps.config.section<Record<string, unknown>>('llm') ?? {},
    factory: async (type) => (contributions.has(LlmProviders, type) ? contributions.get(LlmProviders, type) : undefined),
    knownTypes: contributions.names(LlmProviders),
    logger: deps.logger,
    hooks: deps.hooks,
    env: process.env,
  });
}
