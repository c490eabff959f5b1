import { LogLevel, type Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from '@nexus/plugin-sdk';

/**
 * The Slack clients' logger, routed into the plugin's. Everything drops one level: the clients
 * log a routine reconnect as an error and every frame at debug (with message text in it), while
 * the connection loop reports what matters itself.
 */
export function slackLibraryLogger(logger: Logger): SlackLogger {
  const line = (parts: unknown[]) => parts.map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : JSON.stringify(p))).join(' ');
  let level = LogLevel.INFO;
  return {
    debug: (...parts) => logger.trace(line(parts)),
    info: (...parts) => logger.debug(line(parts)),
    warn: (...parts) => logger.info(line(parts)),
    error: (...parts) => logger.warn(line(parts)),
    setLevel: (next) => void (level = next),
    getLevel: () => level,
    setName: () => undefined,
  };
}
