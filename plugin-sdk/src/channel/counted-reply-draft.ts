import type { ReplyDraft } from '../contracts/index.js';
import type { SendCounters } from './account-set.js';

/**
 * A streamed reply counted the way `AccountsOutbound` counts whole ones: sent when `finish`
 * delivers it, failed when `finish` throws. An abandoned draft (the turn failed) counts as neither.
 */
export function countedReplyDraft(reply: ReplyDraft, counters: SendCounters): ReplyDraft {
  return {
    update: (text) => reply.update(text),
    finish: async (text) => {
      try {
        const receipt = await reply.finish(text);
        counters.sent += 1;
        return receipt;
      } catch (error) {
        counters.failed += 1;
        throw error;
      }
    },
    abandon: (reason) => reply.abandon(reason),
  };
}
