import type { LogFields, Logger } from '../../contracts/index.js';
import { pinoModule } from '../lazy/index.js';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';

interface PinoLike {
  trace(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  child(bindings: object): PinoLike;
}

/** A Logger over pino, loaded on first use. The kernel wraps it in a RedactingLogger. */
export class PinoLogger implements Logger {
  private instance: PinoLike | undefined;

  constructor(
    private readonly make: () => PinoLike,
    private readonly bindings: LogFields = {},
  ) {}

  static create(options: { readonly level?: LogLevel; readonly destination?: number } = {}): PinoLogger {
    return new PinoLogger(() => {
      const pino = pinoModule();
      const destination = pino.destination(options.destination ?? 2);
      return pino({ level: options.level ?? 'info' }, destination) as PinoLike;
    });
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
    return new PinoLogger(this.make, { ...this.bindings, ...bindings });
  }
}
