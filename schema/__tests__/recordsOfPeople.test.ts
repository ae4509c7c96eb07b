import { In } from 'typeorm';
import { openEmbeddedAgencyDatabase } from '../../database/agencyDataSource';
import { EmbeddedPostgres } from '../../database/embeddedPostgres';
import { AGENCIES } from '../../subgraphs/agencies';
import { generatePopulation } from '../../synthetic/population';
import { recordsOfPeople } from '../recordsOfPeople';

/**
 * `recordsOfPeople` against TypeORM's own `find`, on every record kind of every agency seeded with
 * the synthetic population: the same entities (class, every column's value and type), in the
 * same order, for many people, for people with no records and for nobody.
 */
const PERSON_COLUMNS = ['personId', 'pupilId', 'patientId', 'householdId', 'familyId'];
const DATE_TYPES = ['date', 'timestamp', 'timestamp with time zone', 'timestamptz'];

let embedded: EmbeddedPostgres;
let kinds = 0;
beforeAll(async () => {
  embedded = await EmbeddedPostgres.start();
});
afterAll(async () => embedded?.close());

const population = generatePopulation({ seed: 20261203, families: 150 });

describe.each(AGENCIES.map((a) => [a.name, a] as const))('recordsOfPeople, %s', (name, agency) => {
  it('answers what find answers for every kind of record about a person', async () => {
    const database = await openEmbeddedAgencyDatabase(embedded, `rop_${name}`, agency.entities);
    try {
      await agency.seed(database.dataSource, population);
      for (const metadata of database.dataSource.entityMetadatas) {
        const person = metadata.columns.find((c) => PERSON_COLUMNS.includes(c.propertyName));
        const dated = metadata.columns.find(
          (c) => c !== person && DATE_TYPES.includes(String(c.type)),
        );
        if (!person || !dated) continue;
        kinds++;
        const repository = database.dataSource.getRepository(metadata.target);
        const ids = [
          ...new Set(
            (await repository.find({ select: { [person.propertyName]: true } })).map(
              (r) => r[person.propertyName] as string,
            ),
          ),
        ];
        expect(ids.length).toBeGreaterThan(1);
        const order = Object.fromEntries([
          [dated.propertyName, 'DESC'],
          ...metadata.primaryColumns.map((c) => [c.propertyName, 'ASC']),
        ]);
        const shape = { person: person.propertyName, newestFirst: dated.propertyName };
        // Most of the people, a person with nothing recorded, and nobody.
        for (const some of [
          ids.slice(0, Math.ceil(ids.length / 2)),
          [ids[0], '00000000-0000-4000-8000-00000000abcd'],
          [],
        ]) {
          const ours = await recordsOfPeople(repository, shape, some);
          const theirs = some.length
            ? await repository.find({ where: { [person.propertyName]: In(some) }, order })
            : [];
          expect(ours).toEqual(theirs);
          expect(ours.length).toBe(theirs.length);
          ours.forEach((entity, i) => {
            expect(Object.getPrototypeOf(entity)).toBe(Object.getPrototypeOf(theirs[i]));
            for (const column of metadata.columns) {
              const [a, b] = [column.getEntityValue(entity), column.getEntityValue(theirs[i])];
              expect([typeof a, a instanceof Date]).toEqual([typeof b, b instanceof Date]);
            }
          });
        }
      }
    } finally {
      await database.dataSource.destroy();
    }
  });
});

it('compared every dated kind of record keyed by a person, a family or a household', () => {
  // Two to four kinds in each agency but domestic abuse (its dates are on the case, joined).
  expect(kinds).toBeGreaterThanOrEqual(18);
});
