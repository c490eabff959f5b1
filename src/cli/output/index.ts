export { formatDiagnostic, formatDiagnostics } from './format-diagnostic.js';
export { table } from './table.js';
