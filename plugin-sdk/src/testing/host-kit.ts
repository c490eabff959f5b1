import type { Clock } from '../contracts/index.js';
import type { Token } from '../contracts/index.js';

/** The plugin under test and what it runs with. */
export interface PluginUnderTest {
  /** Its folder (holding nexus.plugin.json), or the manifest file itself. */
  readonly plugin: string;
  /** Its `plugins.entries.<id>.config`. */
  readonly config?: unknown;
  /** Other top-level config sections it reads (`llm`, `server`, …). */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Other plugin folders to load alongside, such as the plugins it `requires`. */
  readonly with?: readonly string[];
  /** Fakes for services it consumes. */
  readonly services?: readonly (readonly [Token<unknown>, unknown])[];
  readonly clock?: Clock;
}

export interface ContractReport {
  readonly pluginId: string;
  /** `kind:name` of every contribution that resolved. */
  readonly resolved: readonly string[];
  /** Empty when the plugin honours its manifest and the contracts. */
  readonly problems: readonly string[];
}

/** What the host package (`nexus/testing`) implements for this kit. */
interface HostTestingKit {
  verifyPluginContract(options: PluginUnderTest): Promise<ContractReport>;
}

const HOST_TESTING = 'nexus/testing';

/** The host's side of the kit, loaded on first use so that plain helpers need no host. */
async function hostKit(): Promise<HostTestingKit> {
  try {
    return (await import(HOST_TESTING)) as HostTestingKit;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes("'nexus'")) {
      throw new Error('the testing kit runs your plugin in the Nexus host, which is not installed here: add it as a dev dependency (npm install --save-dev nexus)', { cause: error });
    }
    throw error;
  }
}

/**
 * Loads the plugin the way the host does, resolves every contribution its manifest declares and
 * checks each against its contract and its manifest entry.
 */
export async function verifyPluginContract(options: PluginUnderTest): Promise<ContractReport> {
  return (await hostKit()).verifyPluginContract(options);
}
