// Runs the emulator's own tests without the repository's integration global setup (which starts
// Kafka and PostgreSQL — the emulator needs neither):
//   npx jest -c apps/poweroffice-emulator/jest.standalone.config.js
const root = require('../../jest.config.js');

const byName = (name) => {
  const { globalSetup: _setup, globalTeardown: _teardown, ...project } = root.projects.find((p) => p.displayName === name);
  return project;
};

module.exports = {
  projects: [
    { ...byName('unit'), displayName: 'emulator-unit', testMatch: ['<rootDir>/apps/poweroffice-emulator/**/*.unit.spec.ts'] },
    { ...byName('integration'), displayName: 'emulator-int', testMatch: ['<rootDir>/apps/poweroffice-emulator/**/*.int.spec.ts'] },
  ],
};
