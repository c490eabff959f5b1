import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Two kernels in one process must not interfere, so host code keeps no module-level mutable state.
const noGlobalState = [
  { selector: "MemberExpression[object.name='globalThis']", message: 'No global state: hang it off the Kernel instance.' },
  { selector: "Program > VariableDeclaration[kind='let']", message: 'No module-level mutable state: hang it off the Kernel instance.' },
  { selector: "Program > ExportNamedDeclaration > VariableDeclaration[kind='let']", message: 'No module-level mutable state: hang it off the Kernel instance.' },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'examples/plugins/*/dist/', 'coverage/', 'bench/.work/', 'plugin-sdk/*.d.ts'] },
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
    files: ['src/**/*.ts', 'examples/plugins/*/src/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...noGlobalState] },
  },
  {
    // Built-in plugins dogfood the SDK: contracts only, never kernel internals.
    files: ['src/builtin-plugins/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/kernel/**', '**/cli/**'], message: 'Built-in plugins import only src/contracts (or @nexus/plugin-sdk).' }] }],
    },
  },
  {
    // Contracts are the public vocabulary: they may not depend on the host's implementation.
    files: ['src/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/kernel/**', '**/cli/**', '**/builtin-plugins/**'], message: 'Contracts depend on nothing but themselves.' }] }],
    },
  },
);
