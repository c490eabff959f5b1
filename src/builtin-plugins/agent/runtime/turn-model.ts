import type { HookBus, Turn } from '@nexus/plugin-sdk';
import { splitProviderModel } from '@nexus/plugin-sdk/provider';
import { TurnError } from './turn-error.js';

/**
 * The model a turn asks the failover chain for, after `turn.before` had its say: handlers see
 * the stored agent's choice (if any) split into `provider` and `model`, and may change either.
 * The answer is what the chain takes: `provider/model`, `provider/` (that entry's default model),
 * a bare model of the default provider, or undefined for the chain's own default.
 */
export async function chooseTurnModel(hooks: HookBus, turn: Turn, agentModel: string | undefined, providerIds: ReadonlySet<string>): Promise<string | undefined> {
  const split: { readonly provider?: string; readonly model?: string } = agentModel === undefined ? {} : splitProviderModel(agentModel, (id) => providerIds.has(id));
  const chosen = await hooks.modify('turn.before', {
    sessionId: turn.sessionId,
    agentId: turn.agentId,
    channel: turn.channel,
    message: turn.content,
    metadata: turn.metadata ?? {},
    ...(split.provider !== undefined ? { provider: split.provider } : {}),
    ...(split.model !== undefined ? { model: split.model } : {}),
  });
  if (chosen.provider === split.provider && chosen.model === split.model) return agentModel;
  if (chosen.provider === undefined) return chosen.model;
  if (!providerIds.has(chosen.provider)) {
    throw new TurnError(
      'no_provider',
      `a turn.before handler chose provider "${chosen.provider}", which is not an llm.providers entry (${[...providerIds].join(', ') || 'none is configured'}); the handler should pick one of those, or the operator add it`,
    );
  }
  return `${chosen.provider}/${chosen.model ?? ''}`;
}
