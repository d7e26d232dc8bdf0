/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  // Workflow tests start a real Temporal dev server; give them room on a 2-core CI box.
  testTimeout: 120000,
  // Each Temporal test file owns its own dev server process; run files one at a time.
  maxWorkers: 1,
};
