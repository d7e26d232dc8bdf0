/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
    // ccxt's crypto dependencies ship as ES modules; jest (CommonJS) needs them transpiled.
    '^.+\\.m?js$': ['ts-jest', { diagnostics: false, tsconfig: { allowJs: true, module: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@noble|@scure)/)'],
  // Workflow tests start a real Temporal dev server; give them room on a 2-core CI box.
  testTimeout: 180000,
  // Each Temporal test file owns its own dev server process; run files one at a time.
  maxWorkers: 1,
};
