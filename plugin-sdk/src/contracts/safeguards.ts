import { createToken } from './tokens.js';

/** A gateway serving from the database, as it last said so. */
export interface GatewayLease {
  /** One per gateway start (a UUID). */
  readonly id: string;
  /** `os.hostname()` of the machine it runs on. */
  readonly host: string;
  readonly pid: number;
  /** Where its gRPC API listens, for messages. */
  readonly address: string;
  readonly startedAt: number;
  /** When it last renewed the lease; a lease not renewed for `GATEWAY_LEASE_STALE_MS` belongs to a gateway that died. */
  readonly renewedAt: number;
}

/** How often a running gateway renews its lease. */
export const GATEWAY_LEASE_RENEW_MS = 10_000;
/** A lease older than this is a gateway that stopped without saying so (killed, or its machine lost). */
export const GATEWAY_LEASE_STALE_MS = 3 * GATEWAY_LEASE_RENEW_MS;

/**
 * Bookkeeping that guards a database against operator mistakes, kept apart from the migrated
 * schema so that `nexus migrate down` never drops it, and usable while migrations are pending:
 *
 * - the marker that credentials (an API key or a JWT secret) were configured, so that losing them
 *   all (keys revoked or wiped, the secret removed) never silently opens anonymous access;
 * - leases of the gateways serving from the database, so that `nexus migrate down` refuses to
 *   drop tables under one.
 *
 * Reading never writes: on a database nothing has written to yet, there is no marker and no lease.
 */
export interface SafeguardStore {
  /** When credentials were first recorded as configured; undefined if never, or not since `nexus auth reset-open-access`. */
  credentialsConfiguredSince(): Promise<number | undefined>;
  /** Records that credentials are configured (idempotent: the first time is kept). */
  markCredentialsConfigured(at: number): Promise<void>;
  /** Forgets the marker; returns whether there was one. */
  clearCredentialsMarker(): Promise<boolean>;
  /** Records a gateway, or renews its lease. */
  renewGatewayLease(lease: Omit<GatewayLease, 'renewedAt'>, at: number): Promise<void>;
  /** The gateway stopped: forgets its lease (idempotent). */
  releaseGatewayLease(id: string): Promise<void>;
  /** Every lease recorded, stale ones included, oldest first. */
  gatewayLeases(): Promise<readonly GatewayLease[]>;
}

export const SafeguardStoreToken = createToken<SafeguardStore>('nexus.store.safeguards');
