export { DURATION_EXAMPLES, DURATION_PATTERN, DurationError, formatDuration, formatElapsed, parseDuration, requireDuration } from './duration.js';
