export { ToolInputValidator } from './input-validator.js';
export { executeWithHooks, type ToolCallScope } from './tool-hooks.js';
export { ToolSet, type ToolCallOptions, type ToolOutcome } from './tool-set.js';
