import type { Clock, ConfigAccess, Logger, ServiceRegistry, TaskTracker } from '@nexus/plugin-sdk';
import { InboundDedup } from './inbound-dedup.js';
import { DeadLetterFile } from './dead-letters.js';
import { ReplayGuard } from './replay-guard.js';
import { WebhookActivity } from './webhook-activity.js';
import { WebhookChannel } from './webhook-channel.js';
import { WebhookHealth } from './webhook-health.js';
import { WebhookSender } from './webhook-sender.js';
import { deadLetterPath, readWebhookSettings, type WebhookSettings } from './webhook-settings.js';

/** The parts of the channel, built once per activation and shared by every capability. */
export interface WebhookRuntime {
  readonly settings: WebhookSettings;
  readonly activity: WebhookActivity;
  readonly deadLetters: DeadLetterFile;
  readonly replays: ReplayGuard;
  readonly channel: WebhookChannel;
  readonly sender: WebhookSender;
  readonly health: WebhookHealth;
  readonly dedup: InboundDedup;
  /** `session.default_agent_id`: the first part of every webhook session's key. */
  readonly agentId: string;
  readonly clock: Clock;
}

export function createWebhookRuntime(deps: {
  readonly config: ConfigAccess;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly tasks: TaskTracker;
  readonly services: ServiceRegistry;
}): WebhookRuntime {
  const settings = readWebhookSettings(deps.config);
  const activity = new WebhookActivity();
  const deadLetters = new DeadLetterFile(deadLetterPath(settings, deps.config.home));
  return {
    settings,
    activity,
    deadLetters,
    replays: new ReplayGuard(settings.max_skew_seconds * 1000),
    channel: new WebhookChannel(activity, deps.tasks, deps.logger),
    sender: new WebhookSender({ settings, deadLetters, activity, clock: deps.clock, logger: deps.logger }),
    health: new WebhookHealth(settings, activity, deadLetters),
    dedup: new InboundDedup({ services: deps.services, windowMs: settings.dedup_window_seconds * 1000, clock: deps.clock, tasks: deps.tasks, logger: deps.logger }),
    agentId: deps.config.section<{ default_agent_id?: string }>('session')?.default_agent_id ?? 'main',
    clock: deps.clock,
  };
}
