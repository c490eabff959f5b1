export { cachedHelp, storeHelp, type HelpEntry, type HelpKey, type HelpOutput } from './help-cache.js';
export { HelpRecorder } from './help-recorder.js';
export { isHelpRequest } from './help-request.js';
