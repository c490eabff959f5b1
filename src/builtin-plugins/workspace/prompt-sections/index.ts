export { bootstrapGuidanceSection } from './bootstrap-guidance-section.js';
export { identitySection } from './identity-section.js';
export { userProfileSection } from './user-profile-section.js';
export { PROMPT_FILES, workspaceFileSection } from './workspace-file-sections.js';
