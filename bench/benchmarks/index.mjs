// Every benchmark, in the order `npm run bench` runs them and the docs list them. Names are
// stable: results files, docs and anyone tracking the numbers key on them.
import channelPluginsIdle from './channel-plugins-idle.mjs';
import channelSustained from './channel-sustained.mjs';
import channelTurnOverhead from './channel-turn-overhead.mjs';
import cliHelp from './cli-help.mjs';
import cliVersion from './cli-version.mjs';
import cronScheduler from './cron-scheduler.mjs';
import cronServeIdle from './cron-serve-idle.mjs';
import gatewayColdStart from './gateway-cold-start.mjs';
import gatewayIdleRss from './gateway-idle-rss.mjs';
import gatewayStreamThroughput from './gateway-stream-throughput.mjs';
import gatewayTurnOverhead from './gateway-turn-overhead.mjs';
import installFootprint from './install-footprint.mjs';
import kernelReady from './kernel-ready.mjs';
import kernelRss from './kernel-rss.mjs';
import libraryChoices from './library-choices.mjs';
import mcpBridgeCall from './mcp-bridge-call.mjs';
import memoryIndex from './memory-index.mjs';
import memorySearch from './memory-search.mjs';
import memoryTurn from './memory-turn.mjs';
import pluginsList from './plugins-list.mjs';
import providerWrapper from './provider-wrapper.mjs';
import runtimeTurn from './runtime-turn.mjs';
import storageAppend from './storage-append.mjs';
import storageHistory from './storage-history.mjs';
import toolBeforeHook from './tool-before-hook.mjs';
import toolsOffered from './tools-offered.mjs';

export const benchmarks = [cliVersion, cliHelp, ...pluginsList, kernelReady, kernelRss, installFootprint, runtimeTurn, toolsOffered, toolBeforeHook, providerWrapper, ...storageAppend, storageHistory, gatewayStreamThroughput, gatewayTurnOverhead, gatewayColdStart, gatewayIdleRss, channelPluginsIdle, memorySearch, memoryIndex, memoryTurn, cronScheduler, cronServeIdle, mcpBridgeCall, channelTurnOverhead, channelSustained, libraryChoices];
