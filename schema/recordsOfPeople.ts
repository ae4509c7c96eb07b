import { ObjectLiteral, Repository } from 'typeorm';
import { preparedSelect } from '../database/preparedSelect';

/** Which column names the person a record is about, and which dates it, for the newest first. */
export interface RecordsOfPeopleShape<T> {
  person: keyof T & string;
  newestFirst: keyof T & string;
}

/**
 * One kind of an agency's records about the matched people, newest first (ties by primary key):
 * what `repository.find({ where: { [person]: In(ids) }, order: { [newestFirst]: 'DESC' } })` answers,
 * from a statement built once per entity and shape, with the ids as one array parameter.
 */
export async function recordsOfPeople<T extends ObjectLiteral>(
  repository: Repository<T>,
  shape: RecordsOfPeopleShape<T>,
  personIds: readonly string[],
): Promise<T[]> {
  if (personIds.length === 0) return [];
  const primaryColumns = repository.metadata.primaryColumns;
  return preparedSelect(
    repository,
    `records of people by ${shape.person}, newest ${shape.newestFirst} first`,
    (query) => {
      query
        .where(`entity.${shape.person} = ANY(:personIds)`)
        .orderBy(`entity.${shape.newestFirst}`, 'DESC');
      for (const primary of primaryColumns)
        query.addOrderBy(`entity.${primary.propertyPath}`, 'ASC');
      return query;
    },
    { personIds: [...personIds] },
  );
}
