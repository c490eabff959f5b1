import { dirname, relative, resolve, sep } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const builtins = resolve(import.meta.dirname, 'src/builtin-plugins');

/**
 * Built-in plugins are third-party plugins that happen to ship with the host: each imports only
 * the SDK's public entry points, npm packages and files inside its own folder. A helper two
 * plugins need belongs in an SDK kit, where every plugin author gets it too.
 */
const pluginBoundary = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const file = context.filename;
    const ownFolder = relative(builtins, file).split(sep)[0];
    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== 'string') return;
      if (spec.startsWith('.')) {
        const target = relative(builtins, resolve(dirname(file), spec));
        if (target.startsWith('..') || target.split(sep)[0] !== ownFolder) {
          context.report({ node: node.source, message: `plugin "${ownFolder}" imports ${spec}, outside its own folder: import the SDK (@nexus/plugin-sdk or a kit such as @nexus/plugin-sdk/storage) instead, and move shared code into an SDK kit` });
        }
      } else if (spec === 'nexus' || spec.startsWith('nexus/')) {
        context.report({ node: node.source, message: `plugin "${ownFolder}" imports the host (${spec}): plugins import only @nexus/plugin-sdk and its kits` });
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

// Two kernels in one process must not interfere, so host code keeps no module-level mutable state.
const noGlobalState = [
  { selector: "MemberExpression[object.name='globalThis']", message: 'No global state: hang it off the Kernel instance.' },
  { selector: "Program > VariableDeclaration[kind='let']", message: 'No module-level mutable state: hang it off the Kernel instance.' },
  { selector: "Program > ExportNamedDeclaration > VariableDeclaration[kind='let']", message: 'No module-level mutable state: hang it off the Kernel instance.' },
];

export default tseslint.config(
  { ignores: ['**/dist/', 'node_modules/', 'coverage/', 'bench/.work/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', performance: 'readonly', AbortController: 'readonly', structuredClone: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/**/*.ts', 'plugin-sdk/src/**/*.ts', 'examples/plugins/*/src/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...noGlobalState] },
  },
  {
    files: ['src/builtin-plugins/**/*.ts'],
    plugins: { nexus: { rules: { 'plugin-boundary': pluginBoundary } } },
    rules: { 'nexus/plugin-boundary': 'error' },
  },
  {
    // The SDK is the public vocabulary: it may not depend on the host's implementation.
    files: ['plugin-sdk/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/src/kernel/**', '**/src/cli/**', '**/builtin-plugins/**', 'nexus', 'nexus/*'], message: 'The SDK depends on nothing of the host (the testing kit loads it at run time by name).' }] }],
    },
  },
);
