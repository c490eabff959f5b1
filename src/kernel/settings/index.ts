export { composeConfigSchema } from './compose-schema.js';
export { renderConfigReference } from './config-reference.js';
export { COMPOSITE_SECTIONS, isKernelSection, KERNEL_SECTIONS, sectionOwners, type SectionOwner } from './sections.js';
export { validateSections, type SectionCheck } from './validate-sections.js';
export { REDACTED, resolveValues, secretValues, type ResolvedConfig, type ResolvedValue } from './resolved-values.js';
export { checkContributionNames } from './contribution-names.js';
