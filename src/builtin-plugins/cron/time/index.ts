export { sleep, SYSTEM_TIMERS, type TimerHandle, type Timers } from './timers.js';
