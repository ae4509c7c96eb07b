import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { AgencyPerson } from '../../schema/agencyPerson';
import type { MatchModelData } from '../matchModel';
import type { SubgraphDefinition } from '../../schema/subgraphDefinition';
import type { SyntheticFamily } from '../../synthetic/population';
import { stableUuid } from '../../synthetic/stableUuid';

/** One agency's person index as its seed writes it, with the truth (who each row really is). */
export interface AgencyIndex {
  agency: string;
  people: AgencyPerson[];
  /** Row id → the synthetic person's key: the ground truth no agency holds. */
  personKeyOf: Map<string, string>;
}

/**
 * Runs an agency's own seed function with a database that keeps what it is asked to insert, and
 * returns the rows of its person index. The rows are exactly those the subgraph stores at start,
 * because they come from the same function; only the storage differs.
 */
export async function agencyIndex(
  definition: SubgraphDefinition,
  population: SyntheticFamily[],
): Promise<AgencyIndex> {
  const inserted = new Map<unknown, ObjectLiteral[]>();
  const keeper = {
    getRepository: (entity: EntityTarget<ObjectLiteral>) => ({
      insert: async (rows: ObjectLiteral[]) => {
        if (!inserted.has(entity)) inserted.set(entity, []);
        const kept = inserted.get(entity)!;
        for (const row of rows) kept.push(row);
      },
    }),
  } as unknown as DataSource;
  await definition.seed(keeper, population);

  const people: AgencyPerson[] = [];
  for (const [entity, rows] of inserted) {
    const isPersonIndex = typeof entity === 'function' && entity.prototype instanceof AgencyPerson;
    if (isPersonIndex) for (const row of rows) people.push(row as AgencyPerson);
  }
  const personKeyOf = new Map<string, string>();
  const ids = new Set(people.map((p) => p.id));
  for (const family of population) {
    for (const member of family.members) {
      const id = stableUuid(definition.name, member.personKey);
      if (ids.has(id)) personKeyOf.set(id, member.personKey);
    }
  }
  return { agency: definition.name, people, personKeyOf };
}

/**
 * What an agency subgraph estimates its match model from: a random sample of its records and the
 * name counts over all of them (schema/agencyMatchModel.ts asks its database for the same).
 */
export function modelDataOf(index: AgencyIndex, sampleSize = 5000): MatchModelData {
  const givenNameCounts = new Map<string, number>();
  const familyNameCounts = new Map<string, number>();
  for (const person of index.people) {
    givenNameCounts.set(person.givenName, (givenNameCounts.get(person.givenName) ?? 0) + 1);
    familyNameCounts.set(person.familyName, (familyNameCounts.get(person.familyName) ?? 0) + 1);
  }
  // Every k-th record: a sample spread over the whole index, the same on every run.
  const step = Math.max(1, Math.floor(index.people.length / sampleSize));
  const sample = index.people.filter((_, i) => i % step === 0).slice(0, sampleSize);
  return { sample, total: index.people.length, givenNameCounts, familyNameCounts };
}
