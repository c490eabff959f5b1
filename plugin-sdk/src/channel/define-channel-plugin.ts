import {
  ChannelHealths,
  ChannelInbounds,
  ChannelLifecycles,
  ChannelLogins,
  ChannelOutbounds,
  ChannelReplyStreams,
  ConversationResolvers,
  createToken,
  definePlugin,
  type ChannelHealth,
  type ChannelInbound,
  type ChannelLifecycle,
  type ChannelLogin,
  type ChannelOutbound,
  type ChannelReplies,
  type ConversationResolver,
  type PluginDefinition,
  type PluginRegistrationContext,
  type ResolutionContext,
} from '../contracts/index.js';
import { ChannelRuntimeSlot } from './channel-runtime-slot.js';

/** Each capability of the split channel contract, as one runtime provides them. */
export interface ChannelCapabilities {
  readonly lifecycle: ChannelLifecycle;
  readonly inbound: ChannelInbound;
  readonly conversation: ConversationResolver;
  readonly outbound: ChannelOutbound;
  readonly health: ChannelHealth;
  readonly login: ChannelLogin;
  readonly replies: ChannelReplies;
}

export interface ChannelPluginSpec<R> {
  /** The channel's name, under which every capability is bound (`telegram`). */
  readonly channel: string;
  /** Builds the runtime (its accounts, from the config) the first time any capability is asked for. */
  readonly create: (context: ResolutionContext) => R;
  /** Which part of the runtime answers each capability. */
  readonly capabilities: (runtime: R) => ChannelCapabilities;
  /** Contributions beyond the channel contract (doctor checks, routes, migrations), over the same runtime. */
  readonly register?: (ctx: PluginRegistrationContext, runtime: (context: ResolutionContext) => R) => void;
}

/**
 * A channel plugin: every capability bound under the channel's name, backed by one runtime
 * built on first use (so an unused channel imports no platform library), and stopped in
 * `deactivate`, so a kernel stop or a config reload ends its connections even without a gateway.
 */
export function defineChannelPlugin<R>(spec: ChannelPluginSpec<R>): PluginDefinition {
  const SlotBinding = createToken<ChannelRuntimeSlot<R>>(`nexus.channel-runtime.${spec.channel}`);
  return definePlugin({
    register(ctx) {
      const slot = new ChannelRuntimeSlot<R>((runtime) => spec.capabilities(runtime).lifecycle);
      ctx.bind(SlotBinding).toConstantValue(slot);
      const runtime = (c: ResolutionContext) => slot.get(() => spec.create(c));
      const capability = (c: ResolutionContext) => spec.capabilities(runtime(c));
      ctx.contribute(ChannelLifecycles, spec.channel).toDynamicValue((c) => capability(c).lifecycle);
      ctx.contribute(ChannelInbounds, spec.channel).toDynamicValue((c) => capability(c).inbound);
      ctx.contribute(ConversationResolvers, spec.channel).toDynamicValue((c) => capability(c).conversation);
      ctx.contribute(ChannelOutbounds, spec.channel).toDynamicValue((c) => capability(c).outbound);
      ctx.contribute(ChannelHealths, spec.channel).toDynamicValue((c) => capability(c).health);
      ctx.contribute(ChannelLogins, spec.channel).toDynamicValue((c) => capability(c).login);
      ctx.contribute(ChannelReplyStreams, spec.channel).toDynamicValue((c) => capability(c).replies);
      spec.register?.(ctx, runtime);
    },

    async deactivate(ctx) {
      await ctx.get(SlotBinding).stop();
    },
  });
}
