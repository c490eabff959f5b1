export { MANIFEST_FILE } from './manifest.js';
export type * from './manifest.js';
export { ManifestParser, type ManifestResult } from './manifest-parser.js';
