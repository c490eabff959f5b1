import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Logger } from '@nexus/plugin-sdk';
import { PinoLogger, TextLogger } from '../../src/kernel/index.js';
import { loggerFor, RedactingLogger, SecretSet } from '../../src/kernel/logging/index.js';
import { parseConfigText } from '../../src/kernel/config/index.js';

describe('logging settings', () => {
  it('picks the logger logging.format asks for, at logging.level', () => {
    expect(loggerFor({ format: 'text', level: 'warn' }, false)).toBeInstanceOf(TextLogger);
    expect(loggerFor({ format: 'json' }, true)).toBeInstanceOf(PinoLogger);
    expect(loggerFor({ level: 'loud' }, false)).toBeInstanceOf(PinoLogger);
  });

  it('logs text to a terminal and JSON to a pipe unless logging.format says otherwise', () => {
    expect(loggerFor({ format: 'auto' }, true)).toBeInstanceOf(TextLogger);
    expect(loggerFor({}, true)).toBeInstanceOf(TextLogger);
    expect(loggerFor({}, false)).toBeInstanceOf(PinoLogger);
  });

  it('writes readable lines at or above the level, with the plugin id and fields', () => {
    const lines: string[] = [];
    const logger = new TextLogger('info', (line) => lines.push(line)).child({ pluginId: 'echo' });
    logger.debug('hidden');
    logger.warn('slow reply', { ms: 1200 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z WARN {2}\[echo\] slow reply ms=1200\n$/);
  });

  it('leaves fields that are undefined out of a text line instead of printing key=undefined', () => {
    const lines: string[] = [];
    new TextLogger('info', (line) => lines.push(line)).warn('model call failed', { provider: 'openai', status: undefined, code: undefined });
    expect(lines[0]).toMatch(/ model call failed provider="openai"\n$/);
  });

  it('scrubs secrets from what is written, and does no scrubbing for entries below the level', () => {
    const lines: string[] = [];
    const secrets = new SecretSet();
    secrets.add(['sk-very-secret']);
    let scrubbed = 0;
    const scrubFields = secrets.scrubFields.bind(secrets);
    secrets.scrubFields = (value, key) => (scrubbed++, scrubFields(value, key));
    const logger = new RedactingLogger(new TextLogger('warn', (line) => lines.push(line)), secrets);
    logger.info('model call', { key: 'sk-very-secret' });
    logger.debug('details', { key: 'sk-very-secret' });
    expect(scrubbed).toBe(0);
    expect(lines).toEqual([]);
    logger.warn('retrying with sk-very-secret', { note: 'sk-very-secret', api_key: 'anything' });
    expect(scrubbed).toBeGreaterThan(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('sk-very-secret');
    expect(lines[0]).toContain('retrying with [redacted] note="[redacted]" api_key="[redacted]"');
    // A logger that cannot say its level still gets every entry, scrubbed.
    const seen: string[] = [];
    const inner: Logger = { trace: () => {}, debug: (msg) => seen.push(msg), info: () => {}, warn: () => {}, error: () => {}, child: () => inner };
    const plain = new RedactingLogger(inner, secrets);
    plain.debug('token sk-very-secret');
    expect(seen).toEqual(['token [redacted]']);
  });

  it('NEXUS_LOG_LEVEL sets logging.level', () => {
    const config = parseConfigText('logging:\n  format: text\n', '/cfg/nexus.yaml', { env: { NEXUS_LOG_LEVEL: 'debug' } });
    expect(config.data.logging).toEqual({ format: 'text', level: 'debug' });
  });

  it('interpolates values only, never keys', () => {
    const config = parseConfigText('tools:\n  "${KEY}": 1\n  notes: ${KEY}\n', '/cfg/nexus.yaml', { env: { KEY: 'x' } });
    expect(config.data.tools).toEqual({ '${KEY}': 1, notes: 'x' });
  });

  it('writes every child logger through one destination, in order, all out before the caller closes its descriptor', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'nexus-log-')), 'log.jsonl');
    const fd = openSync(file, 'w');
    const root = PinoLogger.create({ level: 'info', destination: fd });
    const plugin = root.child({ pluginId: 'agent' });
    const turn = plugin.child({ sessionId: 's1' });
    for (let i = 0; i < 50; i++) {
      root.info(`kernel ${i}`);
      plugin.info(`plugin ${i}`);
      turn.warn(`turn ${i}`);
    }
    closeSync(fd);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { msg: string; pluginId?: string; sessionId?: string });
    expect(lines).toHaveLength(150);
    expect(lines.map((l) => l.msg)).toEqual(Array.from({ length: 50 }, (_, i) => [`kernel ${i}`, `plugin ${i}`, `turn ${i}`]).flat());
    expect(lines.slice(0, 3)).toMatchObject([{ msg: 'kernel 0' }, { msg: 'plugin 0', pluginId: 'agent' }, { msg: 'turn 0', pluginId: 'agent', sessionId: 's1' }]);
  });
});
