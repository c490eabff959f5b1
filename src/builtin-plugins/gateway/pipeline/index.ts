export { capability, ChannelRouter, type ChannelRouterDeps } from './channel-router.js';
export { isMessageDropped, MessageDroppedError } from './message-dropped.js';
export { MessagePipeline, PipelineClosedError, type PipelineOptions } from './message-pipeline.js';
export { SessionQueue } from './session-queue.js';
export { sessionKey } from './session-key.js';
export { TurnRunner, type TurnRunnerDeps } from './turn-runner.js';
export type { CallerHandle, CallerSignal, TurnEvent, TurnListener, TurnOutcome, TurnRequest } from './turn-types.js';
