import type { Principal } from '@nexus/plugin-sdk';
import { permissionDenied } from '../grpc/status-error.js';

/** Agents and channel connections belong to one user; anyone else is refused. */
export function assertOwner(resource: { readonly userId: string }, principal: Principal, what: string, id: string): void {
  if (resource.userId !== principal.userId) throw permissionDenied(`${what} ${id} belongs to another user`);
}
