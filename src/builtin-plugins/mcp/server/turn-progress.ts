import type { ProgressToken, ServerNotification } from '@modelcontextprotocol/sdk/types.js';

/** Where a turn's reply so far goes while it runs, and the end of that. */
export interface TurnProgress {
  /** The reply text so far (the whole text, as `TurnService` reports it). */
  readonly onText: (text: string) => void;
  /** The turn is over: nothing more is sent (its result follows). */
  stop(): void;
}

/**
 * Reports a `send_message` turn's reply as it grows, as `notifications/progress` for the
 * client's progress token: `progress` counts the updates (it must rise with each), `message` is
 * the reply so far. Updates that arrive while one is being sent collapse into the latest, so a
 * slow client gets fewer, fuller messages rather than a backlog. Nothing is reported when the
 * client asked for no progress; a notification that cannot be sent ends the reporting, never the turn.
 */
export function turnProgress(token: ProgressToken | undefined, send: (notification: ServerNotification) => Promise<void>): TurnProgress | undefined {
  if (token === undefined) return undefined;
  let latest: string | undefined;
  let sending = false;
  let stopped = false;
  let progress = 0;
  const flush = async () => {
    sending = true;
    while (latest !== undefined && !stopped) {
      const message = latest;
      latest = undefined;
      progress++;
      try {
        await send({ method: 'notifications/progress', params: { progressToken: token, progress, message } });
      } catch {
        stopped = true;
      }
    }
    sending = false;
  };
  return {
    onText: (text) => {
      if (stopped) return;
      latest = text;
      if (!sending) void flush();
    },
    stop: () => {
      stopped = true;
    },
  };
}
