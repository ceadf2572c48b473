/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2022' } }] },
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/e2e/'],
  modulePathIgnorePatterns: ['<rootDir>/playground/dist', '<rootDir>/dist'],
  // Strapi's first boot on a fresh MariaDB database is a few hundred DDL statements, each slower than on
  // PostgreSQL or SQLite: the boots in `beforeAll` hooks need more than a minute on a busy machine.
  testTimeout: process.env.TEST_DATABASE === 'mysql' ? 180_000 : 60_000,
};
