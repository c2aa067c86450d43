// ESLint with type information for every part (each file is checked with the tsconfig.json of its part).
// The import boundaries mirror test/unit/architecture.test.ts, so a forbidden import shows in the editor as you type.
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['fs', 'path', 'child_process', 'os', 'node:*'];
const vscodeBan = {
  name: 'vscode',
  message: 'Only client/src/ui and client/src/extension.ts talk to VS Code; keep domain logic free of it.',
};
const pattern = (group, message) => ({ group, message });

/** no-restricted-imports for one part of the tree. */
const restrict = (files, { paths = [], patterns = [] }, ignores = []) => ({
  files,
  ignores,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }] },
});

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/out/**', 'test/e2e/artifacts/**', 'test/fixtures/**', 'samples/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's describe/it return promises the runner itself awaits.
        {
          allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after'] }],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'import-x/no-duplicates': ['error', { 'prefer-inline': true }],
    },
  },
  {
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', __dirname: 'readonly', require: 'readonly' } },
  },
  // Imports flow one way (docs/architecture.md): common <- server, common <- client, common <- webviews.
  restrict(
    ['common/src/**/*.ts'],
    {
      paths: [vscodeBan],
      patterns: [
        pattern(NODE_BUILTINS, 'common/ runs in the language server, the CLI and webviews: Node built-ins only in common/src/node.'),
        pattern(
          ['**/client/**', '**/server/**', '**/webviews/**'],
          'common/ depends on nothing of the client, the server or the webviews.',
        ),
      ],
    },
    ['common/src/node/**'],
  ),
  restrict(['common/src/node/**/*.ts'], {
    paths: [vscodeBan],
    patterns: [
      pattern(['**/client/**', '**/server/**', '**/webviews/**'], 'common/ depends on nothing of the client, the server or the webviews.'),
    ],
  }),
  restrict(['server/src/**/*.ts'], {
    paths: [vscodeBan, { name: 'sql.js', message: 'The language server never opens the tracking store.' }],
    patterns: [
      pattern(['**/client/**'], 'The language server never imports client code; share through common/.'),
      pattern(['**/tracking/**'], 'The language server never opens the tracking store.'),
    ],
  }),
  restrict(['client/src/core/**/*.ts', 'client/src/cli/**/*.ts', 'client/src/cli.ts'], {
    paths: [vscodeBan],
    patterns: [pattern(['**/server/**'], 'The client never imports server code; share through common/.')],
  }),
  restrict(['client/src/ui/**/*.ts', 'client/src/extension.ts'], {
    patterns: [pattern(['**/server/**'], 'The client never imports server code; share through common/.')],
  }),
  restrict(['webviews/src/**/*.ts'], {
    paths: [vscodeBan],
    patterns: [
      pattern(NODE_BUILTINS, 'Webviews run in a browser: no Node built-ins.'),
      pattern(['**/common/src/node/**', '**/client/**', '**/server/**'], 'Webviews share only browser-safe code from common/.'),
    ],
  }),
);
