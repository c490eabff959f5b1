// The decorators a plugin's classes are wired with, from the host's own inversify. A plugin that
// imports them from the SDK needs no inversify of its own, so the host needs no loader hooks to
// swap that copy for its own (on Node 20 they run on a thread costing some 12 MB); see
// docs/plugin-authoring.md §7. A plugin that imports `inversify` itself still gets the host's copy.
export {
  inject,
  injectable,
  injectFromBase,
  injectFromHierarchy,
  LazyServiceIdentifier,
  multiInject,
  named,
  optional,
  postConstruct,
  preDestroy,
  tagged,
  unmanaged,
} from 'inversify';
