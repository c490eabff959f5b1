import type { Kernel } from '../../kernel/index.js';
import type { CliIo } from '../cli-context.js';
import type { RunObserver } from '../program.js';
import { storeHelp, type HelpKey, type PluginsStamp } from './help-cache.js';
import { ALWAYS_WATCHED, buildStamp, configStamp, envStamp, manifestsStamp } from './help-fingerprint.js';

/**
 * File times come from the kernel's coarse clock, which lags the one Date.now() reads by up to a
 * scheduler tick (10 ms at the slowest common rate); a file stamped this close to the run's
 * start may have changed while it ran.
 */
const CLOCK_SLACK_MS = 15;

/**
 * Runs a help request through the full command line and keeps what it printed, to be cached if
 * it was a help and nothing else. Output goes to the terminal as it comes (never held back); the
 * environment the run reads is tracked, so the entry is checked against exactly those variables.
 * Anything that would make the entry unsafe to replay keeps it out of the cache: output besides
 * the help (a warning, an error), a run that enumerated the whole environment, or a config file
 * or manifest that changed while the run read it.
 */
export class HelpRecorder {
  private readonly started = Date.now();
  private readonly build = buildStamp();
  private readonly config: string | undefined;
  private readonly envRead = new Set<string>(ALWAYS_WATCHED);
  private wholeEnvRead = false;
  private stdout = '';
  private stderr = '';
  private inHelp = false;
  private helpShown = false;
  private outsideHelp = false;
  private kernel: Kernel | undefined;

  constructor(
    private readonly key: HelpKey,
    private readonly io: CliIo,
  ) {
    let config: string | undefined;
    try {
      config = configStamp(key.argv, key.env, key.cwd);
    } catch {
      // --config with --profile, a bad profile name: the run reports it, and nothing is cached.
    }
    this.config = config;
  }

  /** The io to run the command line with: the real one, watched. */
  get watchedIo(): CliIo {
    const write = (stream: 'stdout' | 'stderr') => (text: string) => {
      if (!this.inHelp) this.outsideHelp = true;
      this[stream] += text;
      this.io[stream](text);
    };
    const read = (name: string | symbol) => {
      if (typeof name === 'string') this.envRead.add(name);
    };
    const env = new Proxy(this.io.env, {
      get: (target, name) => (read(name), Reflect.get(target, name)),
      has: (target, name) => (read(name), Reflect.has(target, name)),
      getOwnPropertyDescriptor: (target, name) => (read(name), Reflect.getOwnPropertyDescriptor(target, name)),
      ownKeys: (target) => ((this.wholeEnvRead = true), Reflect.ownKeys(target)),
    });
    return { stdout: write('stdout'), stderr: write('stderr'), env, cwd: this.io.cwd };
  }

  get observer(): RunObserver {
    return {
      pluginCommandsFrom: (kernel) => (this.kernel = kernel),
      helpStarting: () => (this.inHelp = true),
      helpDone: () => {
        this.inHelp = false;
        this.helpShown = true;
      },
    };
  }

  /** Caches the run's output when it was a help alone, made from files that held still. Never throws: it is a cache. */
  finish(code: number): void {
    try {
      this.store(code);
    } catch {
      // The help is printed already; the next one is worked out afresh.
    }
  }

  private store(code: number): void {
    if (!this.helpShown || this.outsideHelp || this.wholeEnvRead || this.config === undefined) return;
    let plugins: PluginsStamp | undefined;
    if (this.kernel) {
      const roots = this.kernel.discoveryRoots();
      const { stamp, files } = manifestsStamp(roots);
      const seen = new Set(files.map(([path]) => path));
      // A manifest written, added or removed while the run read them: its help may not match.
      if (files.some(([, stats]) => stats.ctimeMs >= this.started - CLOCK_SLACK_MS)) return;
      if (this.kernel.list().some((plugin) => !seen.has(plugin.path))) return;
      plugins = { config: this.config, roots, manifests: stamp };
    }
    // The config itself, changed while the run read it.
    if (configStamp(this.key.argv, this.key.env, this.key.cwd) !== this.config) return;
    const envNames = [...this.envRead].sort();
    storeHelp(this.key, { build: this.build, envNames, env: envStamp(envNames, this.key.env), stdout: this.stdout, stderr: this.stderr, code, ...(plugins ? { plugins } : {}) });
  }
}
