import type { LogFields, Logger } from '@nexus/plugin-sdk';
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
    private readonly root: () => PinoLike,
    private readonly bindings: LogFields = {},
    /** The level `root` sets up (pino's own check needs pino loaded). */
    private readonly level: LogLevel = 'info',
  ) {}

  /**
   * One pino root and one destination, made on first use and shared by every child (each plugin
   * has one), so their lines go through one buffer in order.
   *
   * Standard error is written asynchronously (pino flushes it at exit). A descriptor the caller
   * passes in is written synchronously: the caller closes it, and a line still being written
   * asynchronously then would land after later ones, or on whatever reuses the descriptor.
   */
  static create(options: { readonly level?: LogLevel; readonly destination?: number } = {}): PinoLogger {
    const level = options.level ?? 'info';
    let root: PinoLike | undefined;
    return new PinoLogger(
      () => {
        if (root === undefined) {
          const pino = pinoModule();
          const destination = options.destination === undefined ? pino.destination(2) : pino.destination({ dest: options.destination, sync: true });
          root = pino({ level }, destination) as PinoLike;
        }
        return root;
      },
      {},
      level,
    );
  }

  writes(level: Exclude<LogLevel, 'silent'>): boolean {
    return writes(this.level, level);
  }

  private get pino(): PinoLike {
    this.instance ??= Object.keys(this.bindings).length > 0 ? this.root().child(this.bindings) : this.root();
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
    return new PinoLogger(this.root, { ...this.bindings, ...bindings }, this.level);
  }
}
