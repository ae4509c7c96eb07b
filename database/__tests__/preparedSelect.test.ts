import type { Repository } from 'typeorm';
import { AgencyDatabase, openEmbeddedAgencyDatabase } from '../agencyDataSource';
import { EmbeddedPostgres } from '../embeddedPostgres';
import { preparedSelect } from '../preparedSelect';
import { withBlockingKeys } from '../../schema/agencyPerson';
import { PolicePerson } from '../../subgraphs/police/entities';

/** A statement built once and run with each call's own parameters, wherever they sit in it. */
let embedded: EmbeddedPostgres;
let database: AgencyDatabase;
let people: Repository<PolicePerson>;

const person = (n: number, givenName: string, familyName: string, dateOfBirth: string | null) =>
  withBlockingKeys({
    id: `00000000-0000-4000-8000-00000000000${n}`,
    givenName,
    familyName,
    dateOfBirth,
    sex: null,
    postcode: n % 2 ? 'LS6 2AB' : null,
    nhsNumber: null,
  });

beforeAll(async () => {
  embedded = await EmbeddedPostgres.start();
  database = await openEmbeddedAgencyDatabase(embedded, 'prepared', [PolicePerson]);
  people = database.dataSource.getRepository(PolicePerson);
  await people.insert([
    person(1, 'Ada', 'Brown', '2014-01-02'),
    person(2, 'Ben', 'Brown', '2016-03-04'),
    person(3, 'Cai', 'Jones', null),
    person(4, 'Dee', 'Khan', '2012-05-06'),
  ]);
});
afterAll(async () => {
  await database?.dataSource.destroy();
  await embedded?.close();
});

const SHAPE = 'by family name or born after, given name not excluded';
const select = (parameters: Record<string, unknown>) =>
  preparedSelect(
    people,
    SHAPE,
    (query) =>
      query
        .where('(entity.familyName = ANY(:families) OR entity.dateOfBirth > :bornAfter)')
        .andWhere('entity.givenName <> ALL(:excluded)')
        .andWhere('(entity.familyName = ANY(:families) OR entity.postcode IS NULL)')
        .orderBy('entity.givenName'),
    parameters,
  );

it('answers what the same find answers, whatever order the call names its parameters in', async () => {
  // Named in another order than the statement takes them, one of them twice in the statement.
  const first = await select({ excluded: ['Ben'], bornAfter: '2011-12-31', families: ['Brown'] });
  expect(first.map((p) => p.givenName)).toEqual(['Ada', 'Dee']);
  expect(first[0]).toBeInstanceOf(PolicePerson);
  expect(first[0]).toEqual(await people.findOneByOrFail({ givenName: 'Ada' }));
  // The same statement, other values: each parameter lands in its own place.
  const second = await select({ families: ['Jones'], excluded: [], bornAfter: '2015-01-01' });
  expect(second.map((p) => p.givenName)).toEqual(['Ben', 'Cai']);
  const none = await select({ bornAfter: '2030-01-01', families: [], excluded: [] });
  expect(none).toEqual([]);
});

it('builds the statement once per entity and shape, not per call', async () => {
  const build = jest.fn((query) => query.where('entity.givenName = ANY(:given)'));
  for (const given of [['Ada'], ['Ben', 'Cai'], []]) {
    const found = await preparedSelect(people, 'by given name', build, { given });
    expect(found.map((p) => p.givenName).sort()).toEqual(given);
  }
  expect(build).toHaveBeenCalledTimes(1);
});
