import type { Logger } from '@nexus/plugin-sdk';
import { LOG_LEVELS, type LogLevel } from './log-levels.js';
import { PinoLogger } from './pino-logger.js';
import { TextLogger } from './text-logger.js';

/**
 * The logger `logging` asks for. It reads the raw section (with NEXUS_LOG_LEVEL applied): the
 * logger exists before the config is validated, and a bad value (which validation reports)
 * falls back to the default rather than silencing the logs.
 */
export function loggerFor(logging: unknown, stderrIsTty = process.stderr.isTTY === true, defaultLevel: LogLevel = 'info'): Logger {
  const section = (typeof logging === 'object' && logging !== null ? logging : {}) as { level?: unknown; format?: unknown };
  const level = LOG_LEVELS.includes(section.level as LogLevel) ? (section.level as LogLevel) : defaultLevel;
  // Logs go to stderr: people watching a terminal get text, log shippers reading a pipe get JSON.
  const text = section.format === 'text' || (section.format !== 'json' && stderrIsTty);
  return text ? new TextLogger(level) : PinoLogger.create({ level });
}
