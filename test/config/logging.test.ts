import { describe, expect, it } from 'vitest';
import { PinoLogger, TextLogger } from '../../src/kernel/index.js';
import { loggerFor } from '../../src/kernel/logging/index.js';
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

  it('NEXUS_LOG_LEVEL sets logging.level', () => {
    const config = parseConfigText('logging:\n  format: text\n', '/cfg/nexus.yaml', { env: { NEXUS_LOG_LEVEL: 'debug' } });
    expect(config.data.logging).toEqual({ format: 'text', level: 'debug' });
  });

  it('interpolates values only, never keys', () => {
    const config = parseConfigText('tools:\n  "${KEY}": 1\n  notes: ${KEY}\n', '/cfg/nexus.yaml', { env: { KEY: 'x' } });
    expect(config.data.tools).toEqual({ '${KEY}': 1, notes: 'x' });
  });
});
