import { ChannelDeliveryToken, TurnServiceToken, type ChannelDelivery, type ServiceRegistry, type TurnService } from '@nexus/plugin-sdk';
import { CronRunError } from '../executors/index.js';

/**
 * The gateway's turn service, resolved when a run needs it rather than when the plugin starts:
 * a webhook-only schedule never loads the agent, and a process without the gateway (a CLI run of
 * a webhook job) still works. Without a provider, turn jobs fail for good with a message saying so.
 */
export function gatewayTurns(services: ServiceRegistry): TurnService {
  const get = async (): Promise<TurnService> => {
    if (!services.has(TurnServiceToken)) throw new CronRunError("agent_turn, heartbeat and system_event jobs need the gateway's turn service (nexus.gateway.turns), which no enabled plugin provides: enable the gateway plugin", false);
    return services.get(TurnServiceToken);
  };
  return {
    run: async (request) => (await get()).run(request),
    appendSystemEvent: async (request) => (await get()).appendSystemEvent(request),
  };
}

/** The gateway's channel delivery, resolved on first use like the turn service. */
export function gatewayDelivery(services: ServiceRegistry): ChannelDelivery {
  return {
    deliver: async (request) => {
      if (!services.has(ChannelDeliveryToken)) throw new Error("no plugin provides channel delivery (nexus.gateway.delivery): enable the gateway plugin");
      return (await services.get(ChannelDeliveryToken)).deliver(request);
    },
  };
}
