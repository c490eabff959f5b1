/** A plain, left-aligned text table: the SDK's, which plugins' commands use too. */
export { formatTable as table } from '@nexus/plugin-sdk';
