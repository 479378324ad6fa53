import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'data/**',
      'test-results/**',
      'playwright-report/**',
      'tests/e2e/artifacts/**',
      'bench/results/**',
    ],
  },
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/essential'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    rules: {
      // Wire types from clients are loosely shaped; tests poke at JSON freely.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'vue/multi-word-component-names': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  // Dependencies point inward (docs/ARCHITECTURE.md): src/shared imports nothing of ours; the app, the
  // service worker and the server never import each other.
  layer(
    'src/shared/**',
    ['**/server/**', '**/app/**', '**/sw/**'],
    'src/shared is isomorphic: it imports nothing from the server, the app or the service worker',
  ),
  // sw/db is the one exception: the page reads the on-device record (IndexedDB) through the same schema.
  layer(
    'src/app/**',
    ['**/server/**', '**/sw/**', '!**/sw/db'],
    'the app talks to the server over HTTP and to the service worker by messages (sw/db, the shared IndexedDB schema, aside)',
  ),
  layer('sw/**', ['**/server/**', '**/src/app/**'], 'the service worker shares only src/shared with the app'),
  layer('src/server/**', ['**/src/app/**', '**/app/**', '**/sw/**'], 'the server does not import the app or the service worker'),
);

function layer(files, group, message) {
  return { files: [files], rules: { 'no-restricted-imports': ['error', { patterns: [{ group, message }] }] } };
}
