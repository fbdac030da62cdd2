// Runs once before the end-to-end project: compiles the services to dist/ (they run from there, as
// in production), then checks the infrastructure like the integration project does.
const { build } = require('../../../../scripts/build.js');
const infrastructure = require('./jest-global-setup.js');

module.exports = async function e2eGlobalSetup() {
  await build();
  await infrastructure();
};
