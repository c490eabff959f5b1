// The host's bundled copy of `reflect-metadata` (a global polyfill), served to plugins in place of the
// installed one (see ../shared-module-hooks.ts).
import 'reflect-metadata';
