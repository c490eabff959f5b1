import { describe, expect, it } from 'vitest';
import { cancellationOf } from '../../../src/builtin-plugins/agent/llm/index.js';
import { promptContextFor } from '../../../src/builtin-plugins/agent/prompt/prompt-context.js';
import { TurnCancellation } from '../../../src/builtin-plugins/agent/runtime/turn-cancellation.js';

describe('turn cancellation', () => {
  it('tells its listeners once, and a signal made before the abort aborts with the same reason', () => {
    const cancellation = new TurnCancellation();
    const signal = cancellation.signal;
    const heard: string[] = [];
    cancellation.onAbort(() => heard.push('first'));
    const stop = cancellation.onAbort(() => heard.push('removed'));
    stop();
    const reason = new Error('the client cancelled');

    cancellation.abort(reason);
    cancellation.abort(new Error('later'));

    expect(heard).toEqual(['first']);
    expect(cancellation.aborted).toBe(true);
    expect(cancellation.reason).toBe(reason);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(reason);
  });

  it('makes a signal that is already aborted when asked for one after the abort, and does not call late listeners', () => {
    const cancellation = new TurnCancellation();
    cancellation.abort();
    let heard = false;
    cancellation.onAbort(() => (heard = true));

    expect(cancellation.reason).toBeInstanceOf(DOMException);
    expect((cancellation.reason as DOMException).name).toBe('AbortError');
    expect(cancellation.signal.aborted).toBe(true);
    expect(cancellation.signal.reason).toBe(cancellation.reason);
    expect(heard).toBe(false);
  });

  it('makes no signal until one is asked for, also not for a prompt context', () => {
    const cancellation = new TurnCancellation();
    const context = promptContextFor({ sessionId: 's', agentId: 'main', channel: 'api', content: 'hi', metadata: {} }, cancellation);
    expect(Reflect.get(cancellation, 'controller')).toBeUndefined();

    expect(context.signal).toBe(cancellation.signal);
    expect(context.signal).toBeInstanceOf(AbortSignal);
  });

  it('views a plain AbortSignal the same way', () => {
    const controller = new AbortController();
    const cancellation = cancellationOf(controller.signal);
    let heard = 0;
    const stop = cancellation.onAbort(() => heard++);
    expect(cancellation.signal).toBe(controller.signal);

    controller.abort(new Error('stop'));
    stop();

    expect(heard).toBe(1);
    expect(cancellation.aborted).toBe(true);
    expect((cancellation.reason as Error).message).toBe('stop');
  });
});
