export { checkConfigSlice } from './config-slice.js';
export { planPlugins, type Plan, type PlanInput } from './plan.js';
export { isRunnable, quarantine, summarize, type PluginRecord, type PluginState, type PluginSummary } from './plugin-record.js';
export { recordsByName } from './records-by-name.js';
export { requiredPluginProblems } from './required-plugins.js';
export { buildPlan, pluginSlice, type PlanContext, type Planned } from './build-plan.js';
export { planReload, type ReloadPlan } from './reload-plan.js';
