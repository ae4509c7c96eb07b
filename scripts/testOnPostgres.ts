import { spawnSync } from 'node:child_process';

/**
 * `npm run test:postgres`, the second half of `npm test`: the integration suite again, with every
 * service on its own database on a real PostgreSQL server (MASH_POSTGRES_URL), plus the
 * production-mode tests and the distributed benchmark at a tiny size. Skipped, saying so, where
 * no server is configured; CI always has one (`.ci/run` installs and starts it) and fails without
 * it. `npm run test:postgres` builds dist/ first: what runs compiled is tested compiled.
 */
const serverUrl = process.env.MASH_POSTGRES_URL;
if (!serverUrl) {
  if (process.env.CI) {
    console.error('CI runs the integration tests on PostgreSQL too: MASH_POSTGRES_URL is not set.');
    process.exit(1);
  }
  console.log(
    '\nIntegration tests on PostgreSQL: SKIPPED, MASH_POSTGRES_URL is not set.\n' +
      '  To run them: export $(bash scripts/postgres.sh) && npm test   (installs and starts a local server)\n',
  );
  process.exit(0);
}
console.log(`\nIntegration tests on PostgreSQL (${serverUrl.replace(/:[^:@/]*@/, ':***@')}):\n`);
const jest = spawnSync(
  process.execPath,
  [
    require.resolve('jest/bin/jest'),
    'test/',
    // The benchmark in the production shape, at a tiny size (it runs dist/: npm run build first).
    'bench/__tests__/distributedBench',
    '--testPathIgnorePatterns',
    'auditDurability',
  ],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      MASH_TEST_DATABASE: 'postgres',
      // Room for the heap: on two cores jest runs every file in one process (in band), and what each
      // file leaves behind adds up (README, "Versions and traps").
      NODE_OPTIONS:
        '--experimental-vm-modules --disable-warning=ExperimentalWarning --max-old-space-size=8192',
    },
  },
);
process.exit(jest.status ?? 1);
