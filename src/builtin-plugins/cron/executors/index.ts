export { renderTemplate, TEMPLATE_VARIABLES, unknownTemplateVariables, type TemplateValues } from './body-template.js';
export { createExecutors, type ExecutorPorts } from './executor-set.js';
export { CronRunError, resultOfThrown, type ExecutionResult, type JobExecutor, type JobExecutors, type RunContext } from './job-executor.js';
export { AgentTurnExecutor, cronMetadata, HeartbeatExecutor, SystemEventExecutor, type TurnExecutorPorts } from './turn-executors.js';
export { safeUrl, WebhookExecutor, type WebhookExecutorOptions } from './webhook-executor.js';
