module.exports = {
  preset: 'ts-jest',
  testEnvironment: '<rootDir>/test/nodeEnvironment.js',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testTimeout: 60000,
  // Starts Azurite and the Cosmos API server once per run (functions/local/services.ts);
  // their env reaches every test file through test/setupEnv.ts.
  globalSetup: '<rootDir>/test/globalSetup.ts',
  globalTeardown: '<rootDir>/test/globalTeardown.ts',
  setupFiles: ['<rootDir>/test/setupEnv.ts'],
};
