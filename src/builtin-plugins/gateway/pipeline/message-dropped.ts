/**
 * A `message.receiving` handler dropped the inbound message: nothing was stored and no turn ran.
 * The sender is told so with the handler's reason; it is not a failure of the gateway.
 */
export class MessageDroppedError extends Error {
  readonly code = 'message_dropped';

  constructor(
    readonly channel: string,
    readonly reason: string,
  ) {
    super(`the message was not accepted: ${reason}`);
    this.name = 'MessageDroppedError';
  }
}

export function isMessageDropped(error: unknown): error is MessageDroppedError {
  return error instanceof MessageDroppedError;
}
