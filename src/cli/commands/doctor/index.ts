export { doctorCommand, type DoctorCommandOptions, type Terminal } from './doctor-command.js';
export { ProgressLine } from './progress-line.js';
export { doctorExitCode, doctorJson, renderDoctorText, type DoctorJson } from './render-report.js';
export { registerDoctorCommand } from './register.js';
