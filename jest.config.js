/** Jest: TypeScript through ts-jest; middy ships ESM, so it is transformed too. */
module.exports = {
  // The node environment, with a scratch temp directory per test file that is removed when the file ends.
  testEnvironment: '<rootDir>/test/support/scratch-environment.ts',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.[tj]sx?$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@middy)/)'],
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  testTimeout: 60000,
};
