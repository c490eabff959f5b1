export { MemoryLogger, type LogEntry } from '@nexus/plugin-sdk/testing';
export { PinoLogger, type LogLevel } from './pino-logger.js';
export { RedactingLogger, SecretSet } from './redacting-logger.js';
export { TextLogger } from './text-logger.js';
export { loggerFor } from './logger-for.js';
export { LOG_LEVELS } from './log-levels.js';
