import { parseDuration, type ConfigAccess } from '@nexus/plugin-sdk';
import { readCronSection, type CronSection, type CronSettings } from '../config/index.js';

/** Shutdown hooks get 10 s from the kernel; runs drain within server.drain_timeout, kept under that. */
const MAX_DRAIN_MS = 9_000;
const DEFAULT_DRAIN_MS = 8_000;

export interface CronPluginSettings extends CronSettings {
  /** `user.timezone`: the zone of jobs that name none (the host's when absent). */
  readonly defaultTimezone?: string;
  /** How long runs in flight may take to finish at shutdown (`server.drain_timeout`). */
  readonly drainMs: number;
}

/** The `cron` section as the plugin runs it, with the settings of other sections it follows. */
export function readPluginSettings(config: ConfigAccess, now: number): CronPluginSettings {
  const timezone = config.section<{ timezone?: unknown }>('user')?.timezone;
  const defaultTimezone = typeof timezone === 'string' && timezone.trim() !== '' ? timezone : undefined;
  const settings = readCronSection(config.section<Partial<CronSection>>('cron'), { now, ...(defaultTimezone ? { defaultTimezone } : {}), ...(config.path ? { file: config.path } : {}) });
  const drain = config.section<{ drain_timeout?: string }>('server')?.drain_timeout;
  const drainMs = Math.min(MAX_DRAIN_MS, (drain !== undefined ? parseDuration(drain) : undefined) ?? DEFAULT_DRAIN_MS);
  return { ...settings, ...(defaultTimezone ? { defaultTimezone } : {}), drainMs };
}
