import { AgencyDatabase, openEmbeddedAgencyDatabase } from '../../database/agencyDataSource';
import { EmbeddedPostgres } from '../../database/embeddedPostgres';
import { police } from '../../subgraphs/police';
import { PolicePerson } from '../../subgraphs/police/entities';
import { createAgencyCheckLoader } from '../agencyCheckLoader';
import { agencyMatchModel, warmAgencyMatchModels } from '../agencyMatchModel';
import { withBlockingKeys } from '../agencyPerson';
import { Sex } from '../subject';

/** A service estimates its match model before it is ready; its first check then reads none of it. */
let embedded: EmbeddedPostgres;
let database: AgencyDatabase;

const person = (id: number, givenName: string, familyName: string) =>
  withBlockingKeys({
    id: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
    givenName,
    familyName,
    dateOfBirth: '2015-04-09',
    sex: 'MALE',
    postcode: 'LS6 2AB',
    nhsNumber: null,
  });

beforeAll(async () => {
  embedded = await EmbeddedPostgres.start();
  database = await openEmbeddedAgencyDatabase(embedded, 'police', police.entities);
  await database.dataSource
    .getRepository(PolicePerson)
    .insert([
      person(1, 'Oliver', 'Smith'),
      person(2, 'Oliver', 'Smith'),
      person(3, 'Amelia', 'Khan'),
    ]);
}, 60_000);
afterAll(async () => {
  await database?.dataSource.destroy();
  await embedded?.close();
});

it("estimates the agency's model from its person index at start, and the first check uses that one", async () => {
  const people = database.dataSource.getRepository(PolicePerson);
  database.queries.recent = [];
  expect(await warmAgencyMatchModels(database.dataSource, police.entities)).toBe(1);
  const estimating = database.queries.recent.map((q) => q.query);
  expect(estimating.some((q) => /GROUP BY/.test(q))).toBe(true);
  const warmed = await agencyMatchModel(people);
  // Its own records: "Oliver" is two of the three, so an exact "Oliver" weighs less here.
  expect(warmed.total).toBe(3);
  expect(warmed.givenNameFrequency.get('oliver')).toBeCloseTo(2 / 3);

  database.queries.recent = [];
  const check = createAgencyCheckLoader<PolicePerson, { incidents: string[] }>({
    agency: 'police',
    people,
    noRecords: { incidents: [] },
    loadRecords: async (matched) => new Map(matched.map((p) => [p.id, { incidents: [] }])),
  });
  const result = await check.load({
    id: 'subject-1',
    givenName: 'Amelia',
    familyName: 'Khan',
    dateOfBirth: '2015-04-09',
    sex: Sex.FEMALE,
    postcode: 'LS6 2AB',
    matchingPostcode: 'LS6 2AB',
    nhsNumber: null,
    matchDecisions: [],
  });
  expect(result.status).toBe('FOUND');
  expect(result.match?.recordReference).toBe(person(3, 'Amelia', 'Khan').id);
  // Only the person-index search and the records: no estimate at the first check.
  const statements = database.queries.recent.map((q) => q.query);
  expect(statements.filter((q) => /GROUP BY|COUNT\(/.test(q))).toEqual([]);
  expect(statements.filter((q) => /"police_person"/.test(q))).toHaveLength(1);
});
