import type { DataSource, Repository } from 'typeorm';
import { estimateMatchModel, MatchModel } from '../identity/matchIdentity';
import { AgencyPerson } from './agencyPerson';

/** Records the model is estimated from: enough for u to settle, cheap to read at first check. */
const SAMPLE_SIZE = 5000;

const models = new WeakMap<Repository<AgencyPerson>, Promise<MatchModel>>();

/**
 * The agency's match model, estimated from its own records once per process (at its first check):
 * u from random pairs of a sample of its person index, and each name's frequency over the whole
 * index, so a name common in this agency's area weighs less here. The sample is the first records
 * by id (ids are hashes, so it is spread over the index) and the same on every start: one agency's
 * data always gives one model. A process restart picks up records added since.
 */
export function agencyMatchModel<P extends AgencyPerson>(
  people: Repository<P>,
): Promise<MatchModel> {
  const key = people as unknown as Repository<AgencyPerson>;
  let model = models.get(key);
  if (!model) {
    model = estimateFrom(key);
    models.set(key, model);
    // A failed estimate is not kept: the next check tries again.
    model.catch(() => models.delete(key));
  }
  return model;
}

/**
 * Estimates the match model of every person index among an agency's entities now, so that a
 * service's first check does not wait for it (service/main.ts does this before it is ready): the
 * same once-per-process model the first check would have estimated, shared with every check.
 */
export async function warmAgencyMatchModels(
  dataSource: DataSource,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity classes
  entities: Function[],
): Promise<number> {
  const personIndexes = entities.filter((entity) => entity.prototype instanceof AgencyPerson);
  await Promise.all(
    personIndexes.map((entity) =>
      agencyMatchModel(dataSource.getRepository(entity as new () => AgencyPerson)),
    ),
  );
  return personIndexes.length;
}

async function estimateFrom(people: Repository<AgencyPerson>): Promise<MatchModel> {
  const [sample, total, givenNameCounts, familyNameCounts] = await Promise.all([
    people.find({
      select: {
        givenName: true,
        familyName: true,
        dateOfBirth: true,
        sex: true,
        postcode: true,
        nhsNumber: true,
      },
      order: { id: 'ASC' },
      take: SAMPLE_SIZE,
    }),
    people.count(),
    nameCounts(people, 'givenName'),
    nameCounts(people, 'familyName'),
  ]);
  return estimateMatchModel({ sample, total, givenNameCounts, familyNameCounts });
}

async function nameCounts(
  people: Repository<AgencyPerson>,
  field: 'givenName' | 'familyName',
): Promise<Map<string, number>> {
  const rows: { name: string; records: string }[] = await people
    .createQueryBuilder('person')
    .select(`person.${field}`, 'name')
    .addSelect('COUNT(*)', 'records')
    .groupBy(`person.${field}`)
    .getRawMany();
  return new Map(rows.map((r) => [r.name, Number(r.records)]));
}
