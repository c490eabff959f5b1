import type { LogFields, Logger } from '@nexus/plugin-sdk';
import { isCredentialKey } from '../schema/index.js';
import { isLevelAware, type LogLevel } from './log-levels.js';

export const REDACTION = '[redacted]';

/**
 * The secret values in effect (everything the config schema marks `writeOnly`, and values under
 * credential-named keys), so they can be scrubbed from any log line, wherever they turn up.
 */
export class SecretSet {
  private readonly values = new Set<string>();

  add(values: Iterable<unknown>): void {
    // Very short values would scrub ordinary words out of messages; they are not worth a secret.
    for (const value of values) if (typeof value === 'string' && value.length >= 6) this.values.add(value);
  }

  scrub(text: string): string {
    let result = text;
    for (const secret of this.values) if (result.includes(secret)) result = result.split(secret).join(REDACTION);
    return result;
  }

  scrubFields(value: unknown, key = ''): unknown {
    if (typeof value === 'string') return isCredentialKey(key) && value !== '' ? REDACTION : this.scrub(value);
    if (value instanceof Error) return { name: value.name, message: this.scrub(value.message), stack: value.stack ? this.scrub(value.stack) : undefined };
    if (Array.isArray(value)) return value.map((item) => this.scrubFields(item, key));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isCredentialKey(k) && v !== '' && v !== undefined ? REDACTION : this.scrubFields(v, k)]));
    }
    return value;
  }
}

/**
 * Wraps any Logger so no secret reaches it: not in the message, not in the fields. An entry the
 * inner logger would drop anyway is not scrubbed at all (turns log at info and debug on every
 * model call, and a server usually runs at info or warn).
 */
export class RedactingLogger implements Logger {
  private readonly writes: (level: Exclude<LogLevel, 'silent'>) => boolean;

  constructor(
    private readonly inner: Logger,
    private readonly secrets: SecretSet,
  ) {
    this.writes = isLevelAware(inner) ? (level) => inner.writes(level) : () => true;
  }

  trace(msg: string, fields?: LogFields): void {
    if (this.writes('trace')) this.inner.trace(this.secrets.scrub(msg), this.fields(fields));
  }
  debug(msg: string, fields?: LogFields): void {
    if (this.writes('debug')) this.inner.debug(this.secrets.scrub(msg), this.fields(fields));
  }
  info(msg: string, fields?: LogFields): void {
    if (this.writes('info')) this.inner.info(this.secrets.scrub(msg), this.fields(fields));
  }
  warn(msg: string, fields?: LogFields): void {
    if (this.writes('warn')) this.inner.warn(this.secrets.scrub(msg), this.fields(fields));
  }
  error(msg: string, fields?: LogFields): void {
    if (this.writes('error')) this.inner.error(this.secrets.scrub(msg), this.fields(fields));
  }
  child(bindings: LogFields): Logger {
    return new RedactingLogger(this.inner.child(this.fields(bindings) ?? {}), this.secrets);
  }

  private fields(fields: LogFields | undefined): LogFields | undefined {
    return fields === undefined ? undefined : (this.secrets.scrubFields(fields) as LogFields);
  }
}
