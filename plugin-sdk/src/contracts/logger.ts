import { createToken } from './tokens.js';

export type LogFields = Record<string, unknown>;

/** A structured logger. Each plugin receives a child bound with its `pluginId`. */
export interface Logger {
  trace(msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(bindings: LogFields): Logger;
}

export const LoggerToken = createToken<Logger>('nexus.logger');
