import { collectDefaultMetrics, Registry } from 'prom-client';

// prom-client's default metrics describe the process (CPU, memory, event-loop lag, handles, GC),
// not a kernel, and collecting them starts an event-loop-delay monitor (a 10 ms timer) and a GC
// PerformanceObserver that prom-client never stops, both holding the registry they feed. Collected
// once per kernel, every kernel started in one process (tests, `chat --embedded`, restarts) left
// both running and its whole registry reachable. So they are collected once per process, here.
// eslint-disable-next-line no-restricted-syntax
let shared: Registry | undefined;

/** The process-wide registry of prom-client's standard `process_*`/`nodejs_*` metrics, created on first use. */
export function processMetricsRegistry(): Registry {
  if (!shared) {
    shared = new Registry();
    collectDefaultMetrics({ register: shared });
  }
  return shared;
}
