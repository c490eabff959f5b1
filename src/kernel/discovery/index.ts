export { discoverManifests, listedId, type DiscoveredManifest, type DiscoveryRoots, type PluginOrigin } from './discover.js';
export { DiscoveryIndex } from './discovery-index.js';
export { manifestFilesIn, type ManifestRootPaths } from './manifest-files.js';
