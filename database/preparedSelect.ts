import { ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import { DriverUtils } from 'typeorm/driver/DriverUtils';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { EntityMetadata } from 'typeorm/metadata/EntityMetadata';

interface Statement {
  sql: string;
  /** The named parameters, in the order the statement takes them. */
  parameters: string[];
  /** Each column the statement selects, under the name its result row carries it. */
  columns: [string, ColumnMetadata][];
}

const ALIAS = 'entity';
const statements = new WeakMap<EntityMetadata, Map<string, Statement>>();

/**
 * A select on a hot path: TypeORM builds the statement once per entity and `shape` (the `build`
 * callback, with the entity as `entity` and `:named` parameters), and every call runs it with its
 * own parameters and hydrates whole entities as `find` does, column by column through the driver.
 * A `find` rebuilt its statement on every call, which with its result mapping was most of the 16%
 * of an agency's CPU TypeORM took under load (issue 19). A shape must build the same statement
 * every time: its parameters, not its text, carry what varies.
 */
export async function preparedSelect<T extends ObjectLiteral>(
  repository: Repository<T>,
  shape: string,
  build: (query: SelectQueryBuilder<T>) => SelectQueryBuilder<T>,
  parameters: Record<string, unknown>,
): Promise<T[]> {
  const { sql, parameters: order, columns } = statementFor(repository, shape, build, parameters);
  const rows: Record<string, unknown>[] = await repository.query(
    sql,
    order.map((name) => parameters[name]),
  );
  const { metadata, manager } = repository;
  const driver = manager.connection.driver;
  return rows.map((row) => {
    const entity = metadata.create(undefined, { fromDeserializer: true }) as T;
    for (const [key, column] of columns) {
      const value = row[key];
      if (value !== undefined) {
        column.setEntityValue(entity, driver.prepareHydratedValue(value, column));
      }
    }
    return entity;
  });
}

function statementFor<T extends ObjectLiteral>(
  repository: Repository<T>,
  shape: string,
  build: (query: SelectQueryBuilder<T>) => SelectQueryBuilder<T>,
  parameters: Record<string, unknown>,
): Statement {
  const { metadata } = repository;
  let byShape = statements.get(metadata);
  if (!byShape) statements.set(metadata, (byShape = new Map()));
  let statement = byShape.get(shape);
  if (!statement) {
    // Each parameter stands in as an object of its own, to find where the driver put it.
    const standIns = Object.fromEntries(Object.keys(parameters).map((name) => [name, [name]]));
    const [sql, positional] = build(repository.createQueryBuilder(ALIAS))
      .setParameters(standIns)
      .getQueryAndParameters();
    const driver = repository.manager.connection.driver;
    statement = {
      sql,
      parameters: positional.map((standIn) => {
        const name = Object.keys(standIns).find((n) => standIns[n] === standIn);
        if (!name) throw new Error(`The ${shape} statement takes a parameter it was not given.`);
        return name;
      }),
      columns: metadata.columns
        .filter((column) => !column.isVirtual)
        .map((column) => [
          DriverUtils.buildAlias(driver, undefined, ALIAS, column.databaseName),
          column,
        ]),
    };
    byShape.set(shape, statement);
  }
  return statement;
}
