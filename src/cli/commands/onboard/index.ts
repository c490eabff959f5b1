export { onboardCommand, type OnboardTerminal } from './onboard-command.js';
export type { OnboardFlags } from './flags.js';
export { probeModels, type ProbeResult } from './models-probe.js';
export { planConfig, writeConfig, type ConfigPlan } from './config-plan.js';
export { OnboardState } from './onboard-state.js';
