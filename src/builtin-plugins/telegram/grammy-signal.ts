import type { Api } from 'grammy';

/** The signal type grammY declares: the abort-controller polyfill's, which Node's AbortSignal is at run time. */
export type GrammySignal = Parameters<Api['getMe']>[0];

/** Node's AbortSignal as grammY's declared type. */
export function grammySignal(signal: AbortSignal | undefined): GrammySignal {
  return signal as unknown as GrammySignal;
}

/** grammY's declared signal as Node's. */
export function nodeSignal(signal: GrammySignal): AbortSignal | undefined {
  return signal as unknown as AbortSignal | undefined;
}
