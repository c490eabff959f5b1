import type { LogFields, Logger } from '../../contracts/index.js';
import { pinoModule } from '../lazy/index.js';

import { writes, type LevelAware, type LogLevel } from './log-levels.js';

export type { LogLevel };

interface PinoLike {
  trace(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  child(bindings: object): PinoLike;
}

/** A Logger over pino, loaded on first use. The kernel wraps it in a RedactingLogger. */
export class PinoLogger implements Logger, LevelAware {
  private instance: PinoLike | undefined;

  constructor(
    private readonly make: () => PinoLike,
    private readonly bindings: LogFields = {},
    /** The level `make` sets up (pino's own check needs pino loaded). */
    private readonly level: LogLevel = 'info',
  ) {}

  static create(options: { readonly level?: LogLevel; readonly destination?: number } = {}): PinoLogger {
    const level = options.level ?? 'info';
    return new PinoLogger(
      () => {
        const pino = pinoModule();
        const destination = pino.destination(options.destination ?? 2);
        return pino({ level }, destination) as PinoLike;
      },
      {},
      level,
    );
  }

  writes(level: Exclude<LogLevel, 'silent'>): boolean {
    return writes(this.level, level);
  }

  private get pino(): PinoLike {
    this.instance ??= Object.keys(this.bindings).length > 0 ? this.make().child(this.bindings) : this.make();
    return this.instance;
  }

  trace(msg: string, fields: LogFields = {}): void {
    this.pino.trace(fields, msg);
  }
  debug(msg: string, fields: LogFields = {}): void {
    this.pino.debug(fields, msg);
  }
  info(msg: string, fields: LogFields = {}): void {
    this.pino.info(fields, msg);
  }
  warn(msg: string, fields: LogFields = {}): void {
    this.pino.warn(fields, msg);
  }
  error(msg: string, fields: LogFields = {}): void {
    this.pino.error(fields, msg);
  }
  child(bindings: LogFields): Logger {
    return new PinoLogger(this.make, { ...this.bindings, ...bindings }, this.level);
  }
}
