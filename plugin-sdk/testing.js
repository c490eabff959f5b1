export * from '../dist/kernel/testing/index.js';
