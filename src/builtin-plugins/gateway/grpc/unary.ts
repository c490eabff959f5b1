import type { handleUnaryCall, ServerUnaryCall } from '@grpc/grpc-js';
import type { Logger } from '@nexus/plugin-sdk';
import { toServiceError } from './status-error.js';

/** Adapts an async handler to grpc-js's callback style, mapping whatever it throws to a status. */
export function unary<Req, Res>(logger: Logger, method: string, handler: (request: Req, call: ServerUnaryCall<Req, Res>) => Promise<Res>): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    handler(call.request, call).then(
      (response) => callback(null, response),
      (error: unknown) => callback(toServiceError(error, logger, method)),
    );
  };
}
