// The one copy of inversify that the host and every plugin share (with reflect-metadata loaded
// first, as inversify needs). The host's kernel builds its containers from this module, the SDK's
// decorators come from it, and a plugin that imports `inversify` itself is handed this copy by the
// host's loader: two copies would split the containers' metadata.
import 'reflect-metadata';
export * from 'inversify';
