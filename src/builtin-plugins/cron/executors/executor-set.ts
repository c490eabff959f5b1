import type { ChannelDelivery, Clock, TurnService } from '@nexus/plugin-sdk';
import type { Timers } from '../time/index.js';
import type { JobExecutors } from './job-executor.js';
import { AgentTurnExecutor, HeartbeatExecutor, SystemEventExecutor } from './turn-executors.js';
import { WebhookExecutor } from './webhook-executor.js';

export interface ExecutorPorts {
  readonly clock: Clock;
  readonly timers: Timers;
  /** The gateway's turn service. Without it, agent_turn, heartbeat and system_event jobs fail with a message saying so. */
  readonly turns?: TurnService;
  readonly delivery?: ChannelDelivery;
  readonly fetch?: typeof fetch;
}

/** An executor for each job type the ports make possible. */
export function createExecutors(ports: ExecutorPorts): JobExecutors {
  const turnPorts = ports.turns ? { turns: ports.turns, ...(ports.delivery ? { delivery: ports.delivery } : {}) } : undefined;
  return {
    webhook: new WebhookExecutor({ clock: ports.clock, timers: ports.timers, ...(ports.fetch ? { fetch: ports.fetch } : {}) }),
    ...(turnPorts ? { agent_turn: new AgentTurnExecutor(turnPorts), heartbeat: new HeartbeatExecutor(turnPorts), system_event: new SystemEventExecutor(turnPorts.turns) } : {}),
  };
}
