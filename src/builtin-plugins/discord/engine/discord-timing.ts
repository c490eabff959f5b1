import { GatewayIntentBits } from '@discordjs/core';

/** Server messages and DMs with their text; threads come with GUILDS. MESSAGE_CONTENT is privileged. */
export const DISCORD_INTENTS = GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.DirectMessages | GatewayIntentBits.MessageContent;

/** Timings of one account's gateway connection; tests shorten them. */
export interface DiscordTiming {
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  /** No inbound frame (dispatch, heartbeat ACK) for this long: the connection is replaced. */
  readonly staleAfterMs: number;
  readonly checkEveryMs: number;
  /** A session that lasted this long resets the backoff. */
  readonly stableAfterMs: number;
  /** RESUMEs tried in a row before giving the session up for a fresh IDENTIFY. */
  readonly maxResumeAttempts: number;
  readonly helloTimeoutMs: number;
  readonly readyTimeoutMs: number;
  readonly handshakeTimeoutMs: number;
  /** How long `stop` waits for the close handshake. */
  readonly closeGraceMs: number;
}

/**
 * Discord heartbeats every 41.25 s and ACKs each beat, so a live connection's newest frame is
 * at most one interval old; 2.5 intervals allow one late ACK and the first beat's jitter.
 */
export const DISCORD_TIMING: DiscordTiming = {
  backoffInitialMs: 1_000,
  backoffMaxMs: 60_000,
  staleAfterMs: 105_000,
  checkEveryMs: 10_000,
  stableAfterMs: 60_000,
  maxResumeAttempts: 3,
  helloTimeoutMs: 30_000,
  readyTimeoutMs: 15_000,
  handshakeTimeoutMs: 30_000,
  closeGraceMs: 2_000,
};

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'stopped';

export interface DiscordConnectionStatus {
  readonly state: ConnectionState;
  /** Connected and the newest inbound frame (a dispatch or heartbeat ACK) is younger than `staleAfterMs`. */
  readonly healthy: boolean;
  readonly lastInboundAt?: number;
  readonly inboundAgeMs?: number;
  readonly error?: string;
  /** Sessions started with IDENTIFY (READY) and continued with RESUME (RESUMED). */
  readonly identified: number;
  readonly resumed: number;
  readonly lastClose?: string;
}
