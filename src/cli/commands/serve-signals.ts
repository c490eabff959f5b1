/**
 * The signals `nexus serve` answers. They are listened to from before startup, not from once it
 * is done: a signal that arrives while the plugins start, or in the moment between printing
 * "Nexus is running" and the next statement, would otherwise meet Node's default action, which
 * for SIGHUP and SIGTERM is to die on the spot without stopping anything.
 */
export interface ServeSignals {
  /** Settles with the first SIGINT or SIGTERM, whenever it came. */
  readonly stopRequested: Promise<StopSignal>;
  /** From now on SIGHUP calls `reload`, until a stop is requested; a SIGHUP that came before calls it once, now. */
  onReload(reload: () => void): void;
  /** Stops listening, once `serve` has nothing left to do. */
  close(): void;
}

export type StopSignal = 'SIGINT' | 'SIGTERM';

export function listenForServeSignals(): ServeSignals {
  let reload: (() => void) | undefined;
  let reloadMissed = false;
  let stopping = false;
  let requestStop!: (signal: StopSignal) => void;
  const stopRequested = new Promise<StopSignal>((resolve) => (requestStop = resolve));
  // Signal handlers do not keep Node running; until a stop signal comes, this timer does.
  const keepAlive = setInterval(() => undefined, 1 << 30);

  const onHangup = () => {
    // Reloading a gateway that is stopping would restart what the stop just took down.
    if (stopping) return;
    if (reload) reload();
    else reloadMissed = true;
  };
  const stop = (signal: StopSignal) => {
    stopping = true;
    clearInterval(keepAlive);
    requestStop(signal);
  };
  const onInterrupt = () => stop('SIGINT');
  const onTerminate = () => stop('SIGTERM');
  process.on('SIGHUP', onHangup);
  // Once each: a second Ctrl-C while stopping takes Node's default action, the usual way out.
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onTerminate);

  return {
    stopRequested,
    onReload(next) {
      reload = next;
      if (reloadMissed && !stopping) next();
      reloadMissed = false;
    },
    close() {
      clearInterval(keepAlive);
      process.off('SIGHUP', onHangup);
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onTerminate);
    },
  };
}
