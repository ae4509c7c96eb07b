/** @type {import('jest').Config} */
module.exports = {
  // swc compiles TypeScript with the legacy decorators and decorator metadata type-graphql needs;
  // type checking is `npm run typecheck`, run by `npm test` before jest.
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testEnvironment: 'node',
  testMatch: ['**/__tests__/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  setupFiles: ['reflect-metadata'],
  testTimeout: 60000,
};
