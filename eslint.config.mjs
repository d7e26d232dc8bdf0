import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';

// Workflows and domain code must stay deterministic: no I/O, clocks, randomness or vendor SDKs.
const deterministicImports = {
  patterns: [
    {
      group: ['fs', 'fs/*', 'node:*', 'path', 'os', 'crypto', 'http', 'https', 'child_process', 'net'],
      message: 'domain/ and workflows/ are deterministic: no Node built-ins.',
    },
    {
      group: ['ccxt', 'openai', '@anthropic-ai/*', 'technicalindicators-never'],
      message: 'vendor SDKs belong in adapters/.',
    },
    {
      group: ['**/adapters/**', '**/activities/**', '**/workers/**', '**/scripts/**'],
      message: 'arrows point one way: domain/ and workflows/ import domain/ only.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.data/**', '.tools/**', 'out/**', 'jest.config.js', 'eslint.config.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { import: importPlugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import/no-cycle': 'error',
    },
    settings: { 'import/resolver': { node: { extensions: ['.ts', '.js'] } } },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', deterministicImports],
      'no-restricted-globals': ['error', { name: 'Date', message: 'domain/ has no clock: pass time in.' }],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'domain/ has no randomness: use a seeded generator.' },
      ],
    },
  },
  { files: ['workflows/**/*.ts'], rules: { 'no-restricted-imports': ['error', deterministicImports] } },
  {
    // The heavy vendor SDKs load on first use (adapters/exchange/ccxt-lib.ts, adapters/llm/sdk-modules.ts).
    files: ['adapters/exchange/ccxt-lib.ts', 'adapters/llm/sdk-modules.ts'],
    rules: {
      '@typescript-eslint/no-require-imports': ['error', { allow: ['^ccxt$', '^openai$', '^@anthropic-ai/sdk$'] }],
    },
  },
);
