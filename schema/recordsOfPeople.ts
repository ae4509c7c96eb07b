import { ObjectLiteral, Repository } from 'typeorm';
import { DriverUtils } from 'typeorm/driver/DriverUtils';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { EntityMetadata } from 'typeorm/metadata/EntityMetadata';

/** Which column names the person a record is about, and which dates it, for the newest first. */
export interface RecordsOfPeopleShape<T> {
  person: keyof T & string;
  newestFirst: keyof T & string;
}

interface Statement {
  sql: string;
  /** Each column the statement selects, under the name its result row carries it. */
  columns: [string, ColumnMetadata][];
}

const ALIAS = 'record';
const statements = new WeakMap<EntityMetadata, Map<string, Statement>>();

/**
 * One kind of an agency's records about the matched people, newest first (ties by primary key):
 * what `repository.find({ where: { [person]: In(ids) }, order: { [newestFirst]: 'DESC' } })` answers,
 * entities hydrated as TypeORM hydrates them. The statement is built by TypeORM once per entity and
 * shape, with the ids as one array parameter; a `find` rebuilt it for every check, which with its
 * result mapping was most of the 16% of an agency's CPU TypeORM took under load (issue 19).
 */
export async function recordsOfPeople<T extends ObjectLiteral>(
  repository: Repository<T>,
  shape: RecordsOfPeopleShape<T>,
  personIds: readonly string[],
): Promise<T[]> {
  if (personIds.length === 0) return [];
  const { sql, columns } = statementFor(repository, shape);
  const rows: Record<string, unknown>[] = await repository.query(sql, [[...personIds]]);
  const { metadata, manager } = repository;
  const driver = manager.connection.driver;
  return rows.map((row) => {
    const entity = metadata.create(undefined, { fromDeserializer: true }) as T;
    for (const [key, column] of columns) {
      const value = row[key];
      if (value !== undefined)
        column.setEntityValue(entity, driver.prepareHydratedValue(value, column));
    }
    return entity;
  });
}

function statementFor<T extends ObjectLiteral>(
  repository: Repository<T>,
  shape: RecordsOfPeopleShape<T>,
): Statement {
  const { metadata } = repository;
  const key = `${shape.person} ${shape.newestFirst}`;
  let byShape = statements.get(metadata);
  if (!byShape) statements.set(metadata, (byShape = new Map()));
  let statement = byShape.get(key);
  if (!statement) {
    const query = repository
      .createQueryBuilder(ALIAS)
      .where(`${ALIAS}.${shape.person} = ANY(:personIds)`, { personIds: [] })
      .orderBy(`${ALIAS}.${shape.newestFirst}`, 'DESC');
    for (const primary of metadata.primaryColumns) {
      query.addOrderBy(`${ALIAS}.${primary.propertyPath}`, 'ASC');
    }
    const driver = repository.manager.connection.driver;
    statement = {
      sql: query.getQueryAndParameters()[0],
      columns: metadata.columns
        .filter((column) => !column.isVirtual)
        .map((column) => [
          DriverUtils.buildAlias(driver, undefined, ALIAS, column.databaseName),
          column,
        ]),
    };
    byShape.set(key, statement);
  }
  return statement;
}
