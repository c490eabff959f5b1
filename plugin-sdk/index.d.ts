export * from '../dist/contracts/index.js';
