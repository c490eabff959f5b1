import type { Clock } from '@nexus/plugin-sdk';
import type { Timers } from '../time/index.js';
import type { JobExecutors } from './job-executor.js';
import type { CronDelivery, CronSessionEvents, CronTurnService } from './ports.js';
import { AgentTurnExecutor, HeartbeatExecutor, SystemEventExecutor } from './turn-executors.js';
import { WebhookExecutor } from './webhook-executor.js';

export interface ExecutorPorts {
  readonly clock: Clock;
  readonly timers: Timers;
  /** Without it, agent_turn and heartbeat jobs fail with a message saying so. */
  readonly turns?: CronTurnService;
  readonly delivery?: CronDelivery;
  /** Without it, system_event jobs fail with a message saying so. */
  readonly sessionEvents?: CronSessionEvents;
  readonly fetch?: typeof fetch;
}

/** An executor for each job type the ports make possible. */
export function createExecutors(ports: ExecutorPorts): JobExecutors {
  const turnPorts = ports.turns ? { turns: ports.turns, ...(ports.delivery ? { delivery: ports.delivery } : {}) } : undefined;
  return {
    webhook: new WebhookExecutor({ clock: ports.clock, timers: ports.timers, ...(ports.fetch ? { fetch: ports.fetch } : {}) }),
    ...(turnPorts ? { agent_turn: new AgentTurnExecutor(turnPorts), heartbeat: new HeartbeatExecutor(turnPorts) } : {}),
    ...(ports.sessionEvents ? { system_event: new SystemEventExecutor(ports.sessionEvents) } : {}),
  };
}
