export { MemoryLogger, type LogEntry } from './memory-logger.js';
export { PinoLogger, type LogLevel } from './pino-logger.js';
