import type { ChannelStatus } from './channel.js';
import type { LivePluginState } from './host-status.js';

/** Where the gateway answers `nexus status`: an HTTP route for admins only. */
export const ADMIN_STATUS_PATH = '/admin/status';

/** A recent failure the gateway saw: a plugin that failed, a model call given up on, a reply not delivered, a turn that errored. */
export interface AdminStatusError {
  /** ms since the epoch */
  readonly at: number;
  /** `plugin`, `provider`, `delivery` or `turn`. */
  readonly source: string;
  readonly message: string;
}

/** What `GET /admin/status` answers (JSON), and what `nexus status --json` prints. */
export interface AdminStatus {
  readonly version: string;
  readonly pid: number;
  readonly startedAt: number;
  readonly uptimeMs: number;
  /** `SERVING`, or `NOT_SERVING` while starting or draining. */
  readonly serving: string;
  readonly plugins: readonly LivePluginState[];
  /** `grpc` and `http`, with where each listens. */
  readonly listeners: readonly { readonly name: string; readonly address: string }[];
  /** Each channel's health status by channel id; channels without health are absent. */
  readonly channels: Readonly<Record<string, ChannelStatus>>;
  readonly turnsInFlight: number;
  /** The most recent first, at most 20. */
  readonly lastErrors: readonly AdminStatusError[];
}

/** The credentials a CLI command presents to the gateway: an API key (`x-api-key`) or a JWT (`Bearer`). */
export interface AdminCredentials {
  readonly apiKey?: string;
  readonly token?: string;
}
