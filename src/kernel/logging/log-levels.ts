export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** Lowest to highest; `silent` logs nothing. The numbers are pino's. */
export const LEVEL_ORDER: Readonly<Record<LogLevel, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, silent: 100 };

export const LOG_LEVELS = Object.keys(LEVEL_ORDER) as readonly LogLevel[];

/** Whether a logger at `threshold` writes entries at `level`. */
export function writes(threshold: LogLevel, level: Exclude<LogLevel, 'silent'>): boolean {
  return LEVEL_ORDER[level] >= LEVEL_ORDER[threshold];
}

/**
 * A logger that can say up front whether it writes a level, so a wrapper can skip the work of
 * preparing an entry that would be dropped (the redacting wrapper scrubs every field otherwise).
 */
export interface LevelAware {
  writes(level: Exclude<LogLevel, 'silent'>): boolean;
}

export function isLevelAware(logger: object): logger is LevelAware {
  return typeof (logger as Partial<LevelAware>).writes === 'function';
}
