// Mutation testing (`npm run test:mutation`; not part of `npm test` or CI): how many deliberate
// faults in the policy, identity matching and the gateway's enforcement and audit the suite notices.
// Stryker 10 needs Node 22, so the npm script runs it through scripts/node-lts.sh.
//
// One part at a time:  npm run test:mutation -- --mutate 'policies/**/*.ts,!policies/**/__tests__/**'
// The unit tests only:  npm run test:mutation:unit (MASH_MUTATION_TESTS=unit)
// Reports: reports/mutation/ (clear text on the console, mutation.json and mutation.html).

import process from 'node:process';

// Which tests try to kill the mutants, MASH_MUTATION_TESTS: `all` (the default: the suite as
// `npm run test:embedded` runs it, less the tests below that run the system out of process),
// `unit` (the __tests__ folders only: minutes, not hours), or test files separated by commas
// (`test/policyEnforcement.test.ts,policies/__tests__/rules.test.ts`). Stryker runs, for each
// mutant, the test files that import the mutated file (jest --findRelatedTests) filtered to the
// tests that reached it; its --testFiles option limits only the first, coverage run, so the choice
// is made here, in jest's testMatch.
const tests = process.env.MASH_MUTATION_TESTS || 'all';
function testMatchFor(choice) {
  if (choice === 'all') return undefined; // jest.config.js's own
  if (choice === 'unit') return ['<rootDir>/**/__tests__/**/*.test.ts'];
  return choice.split(',').map((file) => `<rootDir>/${file.trim()}`);
}
const testMatch = testMatchFor(tests);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  testRunner: 'jest',
  plugins: ['@stryker-mutator/jest-runner'],
  // Each mutant runs only the tests that reached it: the integration suite is too slow to run whole
  // per mutant on two cores.
  coverageAnalysis: 'perTest',
  mutate: [
    'policies/**/*.ts',
    'identity/**/*.ts',
    'gateway/policyEnforcement.ts',
    'gateway/auditPlugin.ts',
    '!**/__tests__/**',
    // A command-line printer of the matrix, not a policy decision.
    '!policies/printPolicyMatrix.ts',
  ],
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    config: {
      ...(testMatch ? { testMatch } : {}),
      // These run the system in child processes (or a browser, or a git clone of the repository,
      // which the sandbox is not), where Stryker cannot see which mutant a test reached; they are
      // also the slowest. The same code paths are reached in process by the other tests.
      testPathIgnorePatterns: [
        '/node_modules/',
        '<rootDir>/test/productionMode.test.ts',
        '<rootDir>/test/auditDurability.test.ts',
        '<rootDir>/test/workflowDurability.test.ts',
        '<rootDir>/test/freshClone.test.ts',
        '<rootDir>/test/graphiqlBrowser.test.ts',
        '<rootDir>/test/readme.test.ts',
      ],
    },
  },
  // The sandbox is a copy of the project with node_modules linked, not copied; the working tree is
  // never mutated in place (several people run tests in it).
  ignorePatterns: ['reports', '.mash-dev', 'bench/results', 'coverage', 'dist', '*.log'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  // Two shared cores: one test process, and generous timeouts, so a slow machine is not read as a
  // killed mutant.
  concurrency: 1,
  timeoutMS: 60000,
  timeoutFactor: 2.5,
  // The whole suite once with coverage, before any mutant.
  dryRunTimeoutMinutes: 40,
  // PGlite's CommonJS build uses dynamic import(), as in `npm run test:embedded`.
  testRunnerNodeArgs: ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'],
  reporters: ['clear-text', 'progress', 'json', 'html'],
  clearTextReporter: { allowColor: false, logTests: false, reportTests: false },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  incremental: false,
};

export default config;
