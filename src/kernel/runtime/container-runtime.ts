// Everything that needs inversify, loaded on the first activation: listing, planning and
// doctoring never pay for the container (about 300 modules).
import { Container } from '@nexus/plugin-sdk/shared/inversify';

export { PluginInstance } from './plugin-instance.js';

/** The kernel's root container, holding the kernel's own services (and any extra bindings). */
export function createRootContainer(bindings: readonly (readonly [symbol, unknown])[]): Container {
  const root = new Container();
  for (const [token, value] of bindings) root.bind(token).toConstantValue(value);
  return root;
}
