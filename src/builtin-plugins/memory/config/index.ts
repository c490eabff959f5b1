export { MemoryConfigError } from './memory-config-error.js';
export { readMemorySettings, type EmbeddingSettings, type ExtraPath, type MemoryScope, type MemorySection, type MemorySettings, type SearchMode, type SettingsContext } from './memory-settings.js';
