import {
  CliCommands,
  ClockToken,
  ConfigToken,
  createToken,
  definePlugin,
  DoctorChecks,
  HistoryCompactorToken,
  HookBusToken,
  HookHandlers,
  LoggerToken,
  Migrations,
  PromptSections,
  ServicesToken,
  Tools,
  type ServiceRegistry,
} from '@nexus/plugin-sdk';
import {
  MemoryCommand,
  MemoryCompactor,
  MemoryGetTool,
  MemoryHost,
  MemoryIndexCheck,
  MemorySearchTool,
  MemoryWriteTool,
  MessageReceivedLogger,
  RecallSection,
  SessionAccess,
  startWatching,
  TurnCompletedLogger,
  TurnLog,
} from './plugin/index.js';
import { MEMORY_MIGRATIONS } from './sql/index.js';

/** The plugin's own engine host, private to its container. */
const MemoryHostToken = createToken<MemoryHost>('memory.host');

/**
 * The memory plugin: the `memory` slot's built-in occupant, loaded only with `memory.enabled:
 * true`. Its tables come as migrations the store applies; its engine opens on first use; the
 * watcher runs while the plugin does in a running host; compaction is its service, which the
 * agent runtime consults before each turn.
 */
export default definePlugin({
  register(ctx) {
    ctx.contribute(Migrations, 'memory').toConstantValue({ migrations: MEMORY_MIGRATIONS });
    ctx.bind(MemoryHostToken).toDynamicValue(
      (c) => new MemoryHost({ config: c.get(ConfigToken), services: c.get<ServiceRegistry>(ServicesToken), clock: c.get(ClockToken), logger: c.get(LoggerToken) }),
      { onUnload: (host) => host.close() },
    );
    ctx.bind(SessionAccess).toDynamicValue((c) => new SessionAccess(c.get<ServiceRegistry>(ServicesToken)));
    ctx.bind(TurnLog).toDynamicValue((c) => new TurnLog(c.get(MemoryHostToken), c.get(SessionAccess), c.get<ServiceRegistry>(ServicesToken)));

    ctx.contribute(Tools, 'memory_search').toDynamicValue((c) => new MemorySearchTool(c.get(MemoryHostToken), c.get(SessionAccess)));
    ctx.contribute(Tools, 'memory_get').toDynamicValue((c) => new MemoryGetTool(c.get(MemoryHostToken), c.get(SessionAccess)));
    ctx.contribute(Tools, 'memory_write').toDynamicValue((c) => new MemoryWriteTool(c.get(MemoryHostToken), c.get(SessionAccess)));
    ctx.contribute(PromptSections, 'memory-recall').toDynamicValue((c) => new RecallSection(c.get(MemoryHostToken), c.get(SessionAccess)));
    ctx.contribute(HookHandlers, 'message.received').toDynamicValue((c) => new MessageReceivedLogger(c.get(TurnLog)));
    ctx.contribute(HookHandlers, 'turn.completed').toDynamicValue((c) => new TurnCompletedLogger(c.get(TurnLog)));
    ctx.contribute(CliCommands, 'memory').toDynamicValue((c) => new MemoryCommand(c.get(MemoryHostToken)));
    ctx.contribute(DoctorChecks, 'memory-index').toDynamicValue((c) => new MemoryIndexCheck(c.get(MemoryHostToken)));
    ctx.provide(HistoryCompactorToken).toDynamicValue((c) => new MemoryCompactor(c.get(MemoryHostToken), c.get(HookBusToken), c.get<ServiceRegistry>(ServicesToken)));
  },
  activate(ctx) {
    startWatching(ctx, ctx.get(MemoryHostToken));
  },
});
