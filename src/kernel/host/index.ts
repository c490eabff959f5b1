export { hostPaths, readHostVersion } from './host-paths.js';
export { pidFile, readRunning, reloadStatusFile, removePidFile, writeAtomically, writePidFile, type PidRecord } from './pid-file.js';
