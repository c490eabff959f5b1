/** Asking the running gateway how it is (`nexus status`, `nexus channels status`): its pid file and its admin status route. */
export { adminCredentials, fetchAdminStatus, GatewayQueryError } from './admin-client.js';
export { gatewayPidFile, isProcessAlive, readRunningGateway, type RunningGateway } from './running-gateway.js';
export { describeAccount, describeChannel, formatAge } from './status-text.js';
