import { invalidArgument } from '../grpc/status-error.js';

/** A field the request must set; INVALID_ARGUMENT naming it otherwise. */
export function required(value: string, field: string): string {
  if (value.trim() === '') throw invalidArgument(`${field} is required`);
  return value;
}
