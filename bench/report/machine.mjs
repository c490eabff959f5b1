// What the latest run ran on and how busy the machine was (load average at start and end):
// absolute milliseconds mean little without it, ratios to a same-run baseline somewhat more.
import { cpus, loadavg, platform, release } from 'node:os';

export function describeMachine(loadAtStart) {
  const cores = cpus();
  const load = (l) => l.map((n) => n.toFixed(2)).join(' / ');
  return (
    `${cores.length} × ${cores[0]?.model.trim() ?? 'unknown CPU'}, ${platform()} ${release()}, node ${process.version}; ` +
    `load average (1 / 5 / 15 min) ${load(loadAtStart)} at start, ${load(loadavg())} at end`
  );
}
