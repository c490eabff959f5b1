export { adminStatusRoute, type AdminStatusDeps } from './admin-status-route.js';
export { RecentErrors, RECENT_ERRORS } from './recent-errors.js';
