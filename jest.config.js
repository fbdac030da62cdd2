// One Jest run, three levels told apart by file suffix (docs/adr/0006-test-levels.md):
//   *.spec.ts      unit: pure code, no I/O
//   *.int-spec.ts  integration: real PostgreSQL and real Kafka
//   *.e2e-spec.ts  end to end: the four services over HTTP and Kafka
const { compilerOptions } = require('./tsconfig.base.json');

// NestJS 12 ships as ES modules; Jest loads them from the CommonJS tests only with Node's VM
// modules (`node --experimental-vm-modules`), which `npm test` and `npm run jest` turn on.
if (typeof require('node:vm').SyntheticModule !== 'function') {
  throw new Error('Run Jest through `npm run jest -- <arguments>` (it needs node --experimental-vm-modules: NestJS 12 is ES modules)');
}

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias.replace('/', '\\/')}$`, `<rootDir>/${target}`]),
);

const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    },
  ],
};

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform,
  moduleNameMapper,
  modulePathIgnorePatterns: ['<rootDir>/dist', '<rootDir>/.cache'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tools,scripts}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      setupFiles: ['<rootDir>/libs/shared/testing/src/jest-io-setup.js'],
      testMatch: ['<rootDir>/{apps,libs,tools,scripts}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/libs/shared/testing/src/jest-global-setup.js',
    },
    {
      ...common,
      displayName: 'e2e',
      setupFiles: ['<rootDir>/libs/shared/testing/src/jest-io-setup.js'],
      testMatch: ['<rootDir>/{apps,libs,tools,scripts}/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/libs/shared/testing/src/jest-e2e-global-setup.js',
    },
  ],
};
