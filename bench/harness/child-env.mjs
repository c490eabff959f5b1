// The environment for measured child processes: the caller's, minus anything that would make
// the measurement depend on who runs it (a NEXUS_CONFIG or NEXUS_HOME of their own, a
// NODE_OPTIONS that preloads a debugger or loader).
export function childEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('NEXUS_') || key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}
