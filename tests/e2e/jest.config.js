/** Browser tests: the built playground admin in headless Chromium (`npm run test:e2e`). */
const path = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: path.resolve(__dirname, '../..'),
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2022' } }] },
  testMatch: ['<rootDir>/tests/e2e/**/*.e2e.ts'],
  modulePathIgnorePatterns: ['<rootDir>/playground/dist', '<rootDir>/dist'],
  testTimeout: 120_000,
};
