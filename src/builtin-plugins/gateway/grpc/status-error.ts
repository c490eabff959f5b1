import { Metadata, status, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import { AuthError, StoreError, type Logger } from '@nexus/plugin-sdk';

/** An error that already knows its gRPC status: what handlers throw for bad requests. */
export class GrpcStatusError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
    this.name = 'GrpcStatusError';
  }
}

export const invalidArgument = (message: string) => new GrpcStatusError(status.INVALID_ARGUMENT, message);
export const notFound = (message: string) => new GrpcStatusError(status.NOT_FOUND, message);
export const permissionDenied = (message: string) => new GrpcStatusError(status.PERMISSION_DENIED, message);
export const unavailable = (message: string) => new GrpcStatusError(status.UNAVAILABLE, message);

/**
 * Store errors (`StoreError.code`): a concurrent change that won is ABORTED, and a database that
 * cannot serve right now is UNAVAILABLE, so the client may retry either.
 */
const STORE_CODES: Readonly<Record<string, status>> = {
  not_found: status.NOT_FOUND,
  already_exists: status.ALREADY_EXISTS,
  conflict: status.ABORTED,
  validation: status.INVALID_ARGUMENT,
  unavailable: status.UNAVAILABLE,
};

/** The gRPC status for anything a handler threw. Unknown errors are logged, and reported without internals. */
export function toStatus(error: unknown, logger: Logger, method: string): StatusObject {
  if (error instanceof GrpcStatusError) return { code: error.code, details: error.message, metadata: new Metadata() };
  // By name and code rather than `instanceof`: a store or verifier plugin may carry its own copy
  // of the contracts.
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  if (error instanceof AuthError || name === 'AuthError') {
    return { code: code === 'permission_denied' ? status.PERMISSION_DENIED : status.UNAUTHENTICATED, details: (error as Error).message, metadata: new Metadata() };
  }
  if (error instanceof StoreError || (typeof name === 'string' && name.endsWith('Error') && name !== 'Error')) {
    const mapped = STORE_CODES[String(code)];
    if (mapped !== undefined) return { code: mapped, details: (error as Error).message, metadata: new Metadata() };
  }
  logger.error('gRPC handler failed', { method, error: error instanceof Error ? error.stack ?? error.message : String(error) });
  return { code: status.INTERNAL, details: `internal error in ${method}; the gateway log has the details`, metadata: new Metadata() };
}

/** The same, shaped for a unary callback. */
export function toServiceError(error: unknown, logger: Logger, method: string): Partial<ServiceError> {
  const { code, details, metadata } = toStatus(error, logger, method);
  return Object.assign(new Error(details), { code, details, metadata });
}
