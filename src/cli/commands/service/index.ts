export { ServiceCommand, type LogsOptions, type ServiceVerb } from './service-command.js';
export { foregroundCommand, serviceSpec, unitFor, type ServiceHost, type UnitFile } from './service-host.js';
export { SystemRunner, type RunResult } from './system-runner.js';
export { readyzUrl, waitReady, type Readiness } from './wait-ready.js';
export { serviceCommand, type ServiceCliOptions } from './run-service.js';
