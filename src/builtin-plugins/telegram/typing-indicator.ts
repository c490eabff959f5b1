import type { Api } from 'grammy';
import { classifyDeliveryError, type ChannelTimers, type TimerHandle } from '@nexus/plugin-sdk/channel';
import type { Logger } from '@nexus/plugin-sdk';
import type { ChatTarget } from './chat-target.js';

export interface TypingDeps {
  readonly api: Api;
  readonly timers: ChannelTimers;
  readonly logger: Logger;
  readonly accountId: string;
  readonly intervalMs: number;
  readonly maxMs: number;
}

/**
 * "typing…" while a turn runs. Telegram shows a chat action for five seconds, so it is sent
 * again every `intervalMs` until the returned function is called, or `maxMs` passes (a turn
 * that never reports its end must not type forever). It is cosmetic: a failure is logged at
 * debug level, and one that will not go away (the bot was removed, the chat is gone) stops it.
 */
export function startTyping(deps: TypingDeps, target: ChatTarget): () => void {
  const startedAt = deps.timers.now();
  let timer: TimerHandle | undefined;
  let stopped = false;
  const stop = () => {
    stopped = true;
    if (timer !== undefined) deps.timers.clearTimeout(timer);
  };
  const tick = async () => {
    if (stopped) return;
    try {
      await deps.api.sendChatAction(target.chatId, 'typing', target.topicId !== undefined ? { message_thread_id: target.topicId } : {});
    } catch (error) {
      deps.logger.debug('typing indicator not shown', { account: deps.accountId, error: (error as Error).message });
      const verdict = classifyDeliveryError(error);
      if (verdict.kind === 'permanent') return stop();
    }
    if (stopped) return;
    if (deps.timers.now() - startedAt + deps.intervalMs > deps.maxMs) return stop();
    timer = deps.timers.setTimeout(() => void tick(), deps.intervalMs);
  };
  void tick();
  return stop;
}
