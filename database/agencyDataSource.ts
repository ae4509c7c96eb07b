import { DataSource } from 'typeorm';
import { EmbeddedPostgres } from './embeddedPostgres';
import { QueryCounter } from './queryCounter';

export interface AgencyDatabase {
  dataSource: DataSource;
  queries: QueryCounter;
}

/**
 * Opens one agency's own database. In the embedded default each agency gets its own PostgreSQL
 * schema inside the process's PGlite instance: same SQL dialect as production, and no agency
 * DataSource can see another's tables.
 */
export async function openEmbeddedAgencyDatabase(
  embedded: EmbeddedPostgres,
  agency: string,
  entities: Function[], // eslint-disable-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity classes
): Promise<AgencyDatabase> {
  const schema = agency.replace(/-/g, '_');
  const release = await embedded.acquire();
  try {
    await embedded.pglite.exec(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } finally {
    release();
  }
  const queries = new QueryCounter();
  const dataSource = new DataSource({
    type: 'postgres',
    driver: embedded.driverModule(),
    schema,
    // gen_random_uuid() is core PostgreSQL (13+): no extension to install, embedded or production.
    uuidExtension: 'pgcrypto',
    entities,
    // The embedded database is created empty at every start; production mode runs migrations.
    synchronize: true,
    logging: ['query', 'error', 'warn'],
    logger: queries,
  });
  await dataSource.initialize();
  return { dataSource, queries };
}

/**
 * Fresh statistics after a bulk load. PGlite runs no autovacuum, and without statistics the
 * planner guesses: at a million people it chose a full scan of the person index for a household's
 * blocking keys (228 ms instead of a few). Only this service's own tables.
 */
export async function analyse(dataSource: DataSource): Promise<void> {
  for (const { tablePath } of dataSource.entityMetadatas) {
    await dataSource.query(
      `ANALYZE ${tablePath
        .split('.')
        .map((part) => `"${part}"`)
        .join('.')}`,
    );
  }
}
