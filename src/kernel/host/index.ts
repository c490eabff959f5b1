export { hostPaths, readHostVersion } from './host-paths.js';
export { writeAtomically } from './atomic-write.js';
export { pidFile, readRunning, reloadStatusFile, removePidFile, writePidFile, type PidRecord } from './pid-file.js';
export { hostStatus } from './host-status.js';
