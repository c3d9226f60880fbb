// ESLint: typescript-eslint's recommended rules, the React hooks rules, and no import cycles (type-only included).
// Formatting is Prettier's job (`prettier --check .` in `npm run lint`); the layer rules are dependency-cruiser's.
import js from '@eslint/js';
import { importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'coverage/',
      'storybook-static/',
      'node_modules/',
      'examples/nextjs/.next/',
      'examples/web-analytics/.next/',
      'bench/.scratch/', // the bench's own installs and builds of other projects (the starter kit's dashboard)
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  reactHooks.configs.flat['recommended-latest'],
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.node },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs'] })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // `_` marks a parameter a signature needs but the body does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The engine classes merge a documented interface into a class whose constructor builds every member as a closure
    // (local names minify, `#private` fields do not); `Object.assign<C, Members<C>>(this, {...})` then checks that each
    // member of the interface is provided, which is what this rule fears is missing.
    files: ['src/core/client.ts', 'src/core/event-queue.ts', 'src/core/token-source.ts'],
    rules: { '@typescript-eslint/no-unsafe-declaration-merging': 'off' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
);
