import { ChannelType, type API } from '@discordjs/core';
import type { Logger } from '@nexus/plugin-sdk';

/** What the engine needs to know about a channel: whether it is a thread, and of what. */
export interface ChannelInfo {
  readonly id: string;
  readonly isThread: boolean;
  readonly parentId?: string;
  readonly name?: string;
}

const THREAD_TYPES: ReadonlySet<number> = new Set([ChannelType.AnnouncementThread, ChannelType.PublicThread, ChannelType.PrivateThread]);

/**
 * Channels and threads the bot has seen. A message in a thread names only the thread, so the
 * parent comes from the gateway's thread and channel events, or, for a thread not seen yet, from
 * one `GET /channels/:id` whose answer is kept.
 */
export class ChannelDirectory {
  private readonly known = new Map<string, ChannelInfo>();

  constructor(
    private readonly api: API,
    private readonly logger: Logger,
    private readonly capacity = 10_000,
  ) {}

  /** Records a channel object from a dispatch (THREAD_CREATE, CHANNEL_UPDATE, GUILD_CREATE…). */
  remember(channel: { readonly id: string; readonly type: number; readonly parent_id?: string | null; readonly name?: string | null }): void {
    const info: ChannelInfo = {
      id: channel.id,
      isThread: THREAD_TYPES.has(channel.type),
      ...(channel.parent_id ? { parentId: channel.parent_id } : {}),
      ...(channel.name ? { name: channel.name } : {}),
    };
    this.known.delete(channel.id);
    this.known.set(channel.id, info);
    if (this.known.size > this.capacity) this.known.delete(this.known.keys().next().value as string);
  }

  forget(id: string): void {
    this.known.delete(id);
  }

  /** The channel's info; an unknown server channel is fetched once. A failed lookup counts as a plain channel, this time. */
  async lookup(id: string, signal: AbortSignal): Promise<ChannelInfo> {
    const known = this.known.get(id);
    if (known) return known;
    try {
      const channel = await this.api.channels.get(id, { signal });
      this.remember(channel as { id: string; type: number; parent_id?: string | null; name?: string | null });
      return this.known.get(id)!;
    } catch (error) {
      // Not remembered: the next message asks again rather than keep a thread as a plain channel.
      this.logger.debug(`could not look up Discord channel ${id}: ${(error as Error).message}`);
      return { id, isThread: false };
    }
  }
}
