import type { LogFields, Logger } from '@nexus/plugin-sdk';
import { writes, type LevelAware, type LogLevel } from './log-levels.js';

/** `logging.format: text`: one readable line per entry on stderr, `time LEVEL [plugin] message key=value…`. */
export class TextLogger implements Logger, LevelAware {
  constructor(
    private readonly level: LogLevel = 'info',
    private readonly write: (line: string) => void = (line) => process.stderr.write(line),
    private readonly bindings: LogFields = {},
  ) {}

  trace(msg: string, fields?: LogFields): void {
    this.log('trace', msg, fields);
  }
  debug(msg: string, fields?: LogFields): void {
    this.log('debug', msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.log('info', msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.log('warn', msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.log('error', msg, fields);
  }
  writes(level: Exclude<LogLevel, 'silent'>): boolean {
    return writes(this.level, level);
  }
  child(bindings: LogFields): Logger {
    return new TextLogger(this.level, this.write, { ...this.bindings, ...bindings });
  }

  private log(level: Exclude<LogLevel, 'silent'>, msg: string, fields: LogFields = {}): void {
    if (!writes(this.level, level)) return;
    const { pluginId, ...rest } = { ...this.bindings, ...fields };
    // An absent field is left out: `status=undefined` reads like a value.
    const extra = Object.entries(rest)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${value instanceof Error ? JSON.stringify(value.message) : JSON.stringify(value)}`)
      .join(' ');
    this.write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)}${pluginId ? ` [${String(pluginId)}]` : ''} ${msg}${extra ? ` ${extra}` : ''}\n`);
  }
}
