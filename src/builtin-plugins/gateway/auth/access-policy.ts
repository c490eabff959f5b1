import type { Agent, ChannelConnection, Principal, Session } from '@nexus/plugin-sdk';
import { notFound, permissionDenied } from '../grpc/status-error.js';

/** The API channel: sessions created through gRPC without a channel belong to it. */
export const API_CHANNEL = 'api';

/**
 * What each action is asked about, and what a grant carries back. Every RPC and stream path asks
 * `authorize` before it touches a session, an agent or a channel connection.
 */
interface Requests {
  /** `channel` and `conversation` as the request names them. */
  'session.create': { readonly channel: string; readonly conversation: string };
  'session.list': Record<string, never>;
  'session.read': SessionRef;
  'session.update': SessionRef;
  'session.delete': SessionRef;
  /** Sending a message runs a turn that reads the session's history. */
  'session.send': SessionRef;
  /** Watching the session's turns live. */
  'session.subscribe': SessionRef;
  'session.change-owner': SessionRef;
  'agent.read': { readonly agent: Agent };
  /** Running turns with the agent's system prompt and model: creating a session for it, sending into one. */
  'agent.use': { readonly agent: Agent };
  'agent.update': { readonly agent: Agent };
  'agent.delete': { readonly agent: Agent };
  'agent.share': { readonly agent: Agent };
  'agent.list': Record<string, never>;
  /** A channel's live status, as a whole (not one's own connection to it). */
  'channel.status': { readonly channel: string };
  'connection.use': { readonly connection: ChannelConnection };
  /** The gateway's own state (`GET /admin/status`): plugins, listeners, channels, recent errors. */
  'gateway.status': Record<string, never>;
}

interface Grants {
  /** Who will own the new session (none: the system), and the conversation within the channel. */
  'session.create': { readonly ownerId: string | undefined; readonly conversation: string };
  /** Only sessions of this owner; every session when absent. */
  'session.list': { readonly ownerId?: string };
  'agent.list': { readonly includeShared: true };
}

export type Action = keyof Requests;
export type Grant<A extends Action> = A extends keyof Grants ? Grants[A] : void;

/** A session, and how the caller named it, so a refusal reads exactly like "no such session". */
export interface SessionRef {
  readonly session: Session;
  readonly by?: 'id' | 'key';
}

/**
 * The one place that decides who may do what.
 *
 * - `admin` may do everything, on every session and agent, including the sessions that came in
 *   from channels: those have no owner and belong to the system. Anonymous callers (no credential
 *   configured, loopback only) are admins.
 * - `user` reaches only the sessions it owns. It creates sessions on the `api` channel only, and
 *   its conversation ids are scoped to it (`<user id>:<conversation>`), so it can neither take
 *   another user's session key nor a channel's. It reaches the agents it owns and the ones an
 *   admin shared; a shared agent can be read and used, but only its owner or an admin changes it.
 *
 * Refusals about sessions answer NOT_FOUND with the words a missing session gets: session keys are
 * guessable (`main:api:alice`), so whether someone else's session exists must not leak. Agents and
 * channel connections are named only by random UUIDs, and refusals about them answer
 * PERMISSION_DENIED, which says more to a caller that made a mistake.
 */
export function authorize<A extends Action>(principal: Principal, action: A, request: Requests[A]): Grant<A> {
  return decide(principal, action, request as Requests[Action]) as Grant<A>;
}

function decide(principal: Principal, action: Action, request: Requests[Action]): unknown {
  const admin = principal.role === 'admin';
  switch (action) {
    case 'session.create': {
      const { channel, conversation } = request as Requests['session.create'];
      if (channel !== API_CHANNEL) {
        if (!admin) throw permissionDenied(`only admins create sessions on channel "${channel}": a channel's sessions belong to the system; leave channel empty for "${API_CHANNEL}"`);
        return { ownerId: undefined, conversation };
      }
      return { ownerId: principal.userId, conversation: admin ? conversation : scoped(principal.userId, conversation) };
    }
    case 'session.list':
      return admin ? {} : { ownerId: principal.userId };
    case 'session.read':
    case 'session.update':
    case 'session.delete':
    case 'session.send':
    case 'session.subscribe': {
      const { session, by } = request as SessionRef;
      if (!admin && session.ownerId !== principal.userId) {
        throw notFound(by === 'key' ? `session with key "${session.key}" not found` : `session "${session.id}" not found`);
      }
      return undefined;
    }
    case 'session.change-owner':
      if (!admin) throw permissionDenied("only admins change a session's owner");
      return undefined;
    case 'agent.read':
    case 'agent.use': {
      const { agent } = request as Requests['agent.read'];
      if (!admin && agent.userId !== principal.userId && !agent.shared) throw permissionDenied(`agent ${agent.id} belongs to another user`);
      return undefined;
    }
    case 'agent.update':
    case 'agent.delete': {
      const { agent } = request as Requests['agent.update'];
      if (admin || agent.userId === principal.userId) return undefined;
      throw permissionDenied(agent.shared ? `agent ${agent.id} is shared with you, but only its owner and admins change it` : `agent ${agent.id} belongs to another user`);
    }
    case 'agent.share':
      if (!admin) throw permissionDenied('only admins share agents (or stop sharing them)');
      return undefined;
    case 'agent.list':
      return { includeShared: true };
    case 'gateway.status':
      if (!admin) throw permissionDenied("only admins see the gateway's status (plugins, listeners, channels, recent errors)");
      return undefined;
    case 'channel.status':
      if (!admin) throw permissionDenied(`only admins see the status of channel "${(request as Requests['channel.status']).channel}" as a whole; ask by the id of your own connection`);
      return undefined;
    case 'connection.use': {
      const { connection } = request as Requests['connection.use'];
      // Connections are personal records, admins' included: nobody acts on another's.
      if (connection.userId !== principal.userId) throw notFound(`channel connection "${connection.id}" not found among your connections`);
      return undefined;
    }
  }
}

/** A user's conversations live under its own id, so no user can name another's session or a channel's. */
function scoped(userId: string, conversation: string): string {
  return conversation === userId || conversation.startsWith(`${userId}:`) ? conversation : `${userId}:${conversation}`;
}
