// The host's bundled copy of `@inversifyjs/common`, served to plugins in place of the installed one
// (see ../shared-module-hooks.ts).
export * from '@inversifyjs/common';
