import { ChannelOutbounds, type ChannelDelivery, type Clock, type ContributionRegistry, type DeliveryReceipt, type DeliveryRequest, type HookBus, type Logger } from '@nexus/plugin-sdk';
import { capability } from '../pipeline/index.js';

export interface ChannelDeliveryDeps {
  readonly contributions: ContributionRegistry;
  readonly hooks: HookBus;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Aborts when the gateway stops, cutting short sends still retrying. */
  readonly stopping: () => AbortSignal;
}

/** The account a delivery goes out on when the request names none. */
const DEFAULT_ACCOUNT = 'default';

/**
 * `nexus.gateway.delivery`: text for a channel target that is not a reply (a cron result, an
 * alert), sent the way replies are: `message.sending` hooks first (they may rewrite or cancel it),
 * then the channel's own outbound contract (its chunking, rate limits and retries), then
 * `message.sent`, or `message.failed` and the error.
 */
export class GatewayChannelDelivery implements ChannelDelivery {
  constructor(private readonly deps: ChannelDeliveryDeps) {}

  async deliver(request: DeliveryRequest): Promise<DeliveryReceipt & { readonly cancelled?: string }> {
    const { contributions, hooks, clock, logger } = this.deps;
    checkRequest(request);
    const accountId = request.accountId ?? DEFAULT_ACCOUNT;
    const outbound = await capability(contributions, ChannelOutbounds, request.channel);
    if (!outbound) {
      const active = (await contributions.getAll(ChannelOutbounds)).map((c) => c.name).sort();
      throw new Error(
        `cannot deliver to channel "${request.channel}": no active channel has that name (active: ${active.length > 0 ? active.join(', ') : 'none'}); enable the channel's plugin and configure channels.${request.channel}, or pick one of those`,
      );
    }
    request.signal?.throwIfAborted();
    const sending = await hooks.modify('message.sending', {
      channel: request.channel,
      accountId,
      ...(request.sessionId !== undefined && { sessionId: request.sessionId }),
      target: request.target,
      ...(request.messageId !== undefined && { messageId: request.messageId }),
      content: request.content,
    });
    if (sending.cancel !== undefined) {
      logger.info('a message.sending handler cancelled a delivery; nothing was sent', { channel: request.channel, target: request.target, reason: sending.cancel });
      return { deliveredAt: clock.now(), cancelled: sending.cancel };
    }
    const signal = request.signal ? AbortSignal.any([request.signal, this.deps.stopping()]) : this.deps.stopping();
    const started = clock.now();
    let receipt: DeliveryReceipt;
    try {
      receipt = await outbound.send(
        {
          channel: request.channel,
          accountId,
          target: request.target,
          content: sending.content,
          ...(request.attachments && { attachments: request.attachments }),
          ...(request.metadata && { metadata: request.metadata }),
        },
        { signal },
      );
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'delivery_failed';
      await hooks.emit('message.failed', { channel: request.channel, accountId, ...(request.sessionId !== undefined && { sessionId: request.sessionId }), code, message: (error as Error).message });
      throw new Error(`delivery to ${request.channel} target ${request.target} failed: ${(error as Error).message}`, { cause: error });
    }
    await hooks.emit('message.sent', {
      channel: request.channel,
      accountId,
      ...(request.sessionId !== undefined && { sessionId: request.sessionId }),
      ...(request.messageId !== undefined && { messageId: request.messageId }),
      latencyMs: clock.now() - started,
    });
    return receipt;
  }
}

function checkRequest(request: DeliveryRequest): void {
  if (typeof request?.channel !== 'string' || request.channel === '') throw new TypeError('a delivery needs its channel (a channel id such as "telegram")');
  if (typeof request.target !== 'string' || request.target === '') throw new TypeError(`a delivery to ${request.channel} needs its target (the platform's id for the chat)`);
  if (typeof request.content !== 'string') throw new TypeError(`a delivery to ${request.channel} needs its content (a string)`);
}
