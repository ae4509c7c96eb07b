import {
  databaseNameFor,
  databaseUrl,
  dataSourceFor,
  dropDatabase,
  ensureDatabase,
} from '../database/postgres';
import { BLOCKING_RULES, blockingKeysOf } from '../identity/blocking';
import { police } from '../subgraphs/police';
import { testDatabase } from './testSystem';

/**
 * The migration that adds the blocking keys fills them for the rows a production database already
 * holds: the agency check searches only the keys, so a row left without them would never be found
 * again. Runs on PostgreSQL (MASH_TEST_DATABASE=postgres), like the other production-mode tests;
 * that every agency's migration names its own table is proven by the migrations-from-empty test.
 */
const onPostgres = testDatabase() === 'postgres';
const serverUrl = process.env.MASH_POSTGRES_URL ?? '';

(onPostgres ? describe : describe.skip)('the blocking-keys migration on PostgreSQL', () => {
  const database = databaseNameFor('police', `mashgw_blockingkeys_${process.pid}`);
  const url = () => databaseUrl(serverUrl, database);
  const keysMigration = police.migrations.findIndex((m) => m.name.startsWith('BlockingKeys'));

  beforeAll(async () => {
    await dropDatabase(serverUrl, database);
    await ensureDatabase(serverUrl, database);
  });
  afterAll(() => dropDatabase(serverUrl, database));

  it('back-fills every existing person row, across pages, with the keys the agency check searches', async () => {
    expect(keysMigration).toBeGreaterThan(0);
    // The database as it stood before the keys: people already in it.
    const before = dataSourceFor(url(), {
      ...police,
      migrations: police.migrations.slice(0, keysMigration),
    }).dataSource;
    await before.initialize();
    await before.runMigrations();
    await before.query(
      `INSERT INTO "police_person" ("givenName", "familyName", "dateOfBirth", "sex", "postcode", "nhsNumber")
       SELECT 'Oliver' || i, 'Smith' || (i % 7), DATE '2015-04-09' + i, 'MALE', 'LS6 ' || (i % 9) || 'AB', NULL
       FROM generate_series(1, 2500) AS i`,
    );
    await before.query(
      `INSERT INTO "police_person" ("givenName", "familyName", "dateOfBirth", "sex", "postcode", "nhsNumber")
       VALUES ('Amelia', 'Khan', NULL, 'FEMALE', NULL, '999 123 4578')`,
    );
    await before.destroy();

    const after = dataSourceFor(url(), police).dataSource;
    await after.initialize();
    try {
      expect((await after.runMigrations()).map((m) => m.name)).toEqual(
        police.migrations.slice(keysMigration).map((m) => m.name),
      );
      const rows: Record<string, string | null>[] = await after.query(
        `SELECT "givenName", "familyName", to_char("dateOfBirth", 'YYYY-MM-DD') AS "dateOfBirth", "postcode", "nhsNumber",
                ${BLOCKING_RULES.map((rule) => `"${rule}"`).join(', ')}
         FROM "police_person"`,
      );
      expect(rows).toHaveLength(2501);
      const wrong = rows.filter((row) => {
        const expected = blockingKeysOf({
          givenName: row.givenName,
          familyName: row.familyName,
          dateOfBirth: row.dateOfBirth,
          postcode: row.postcode,
          nhsNumber: row.nhsNumber,
        });
        return Object.entries(expected).some(([key, value]) => row[key] !== value);
      });
      expect(wrong).toEqual([]);
      // The keys are really there (not all null): dates as stored, never shifted by a time zone.
      const oliver = rows.find((r) => r.givenName === 'Oliver1')!;
      expect(oliver.birthFamilyKey).toMatch(/^2015-04-10\|/);
      expect(rows.find((r) => r.givenName === 'Amelia')!.nhsNumberKey).toBe('9991234578');
    } finally {
      await after.destroy();
    }
  });
});
