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

interface Destination {
  flushSync(): void;
}

/** A Logger over pino, loaded on first use. The kernel wraps it in a RedactingLogger. */
export class PinoLogger implements Logger, LevelAware {
  private instance: PinoLike | undefined;

  constructor(
    private readonly root: () => { readonly logger: PinoLike; readonly destination?: Destination },
    private readonly bindings: LogFields = {},
    /** The level `root` sets up (pino's own check needs pino loaded). */
    private readonly level: LogLevel = 'info',
  ) {}

  /**
   * One pino root and one destination, made on first use and shared by every child (each plugin
   * has one), so their lines go through one buffer in order and `flush` covers them all.
   */
  static create(options: { readonly level?: LogLevel; readonly destination?: number } = {}): PinoLogger {
    const level = options.level ?? 'info';
    let root: { logger: PinoLike; destination: Destination } | undefined;
    return new PinoLogger(
      () => {
        if (root === undefined) {
          const pino = pinoModule();
          const destination = pino.destination(options.destination ?? 2);
          root = { logger: pino({ level }, destination) as PinoLike, destination: destination as Destination };
        }
        return root;
      },
      {},
      level,
    );
  }

  /**
   * Writes out what the destination still buffers. Call it before closing a destination you
   * passed in: lines written after that would land on whatever reuses the descriptor.
   */
  flush(): void {
    this.root().destination?.flushSync();
  }

  writes(level: Exclude<LogLevel, 'silent'>): boolean {
    return writes(this.level, level);
  }

  private get pino(): PinoLike {
    this.instance ??= Object.keys(this.bindings).length > 0 ? this.root().logger.child(this.bindings) : this.root().logger;
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
