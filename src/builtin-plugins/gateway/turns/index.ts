export { GatewayChannelDelivery, type ChannelDeliveryDeps } from './gateway-channel-delivery.js';
export { GatewayTurnService, type TurnServiceDeps } from './gateway-turn-service.js';
export { resolveTurnSession } from './session-ref.js';
export { isTransientTurnFailure, pluginTurnResult } from './turn-result.js';
