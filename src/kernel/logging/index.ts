export { MemoryLogger, type LogEntry } from './memory-logger.js';
export { PinoLogger, type LogLevel } from './pino-logger.js';
export { RedactingLogger, SecretSet } from './redacting-logger.js';
