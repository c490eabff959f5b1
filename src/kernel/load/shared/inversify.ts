// The host's bundled copy of `inversify`, served to plugins in place of the installed one
// (see ../shared-module-hooks.ts).
export * from 'inversify';
