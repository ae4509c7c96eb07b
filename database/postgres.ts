import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { AgencyDatabase } from './agencyDataSource';
import { QueryCounter } from './queryCounter';

/**
 * Production mode: each agency (and the audit store) has its own PostgreSQL database, built by
 * its committed migrations, never by `synchronize`.
 */
export interface DatabaseDefinition {
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity classes
  entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for migration classes
  migrations: Function[];
}

/** The database a service uses on a shared local server: `mashgw_police`, `mashgw_social_care`. */
export function databaseNameFor(service: string, prefix = 'mashgw'): string {
  return `${prefix}_${service.replace(/-/g, '_')}`;
}

/** `postgres://user:pass@host:port` + database name. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Connections one service's pool may hold unless told otherwise (DATABASE_POOL_SIZE). */
export const DEFAULT_POOL_SIZE = 10;

export function dataSourceFor(
  url: string,
  definition: DatabaseDefinition,
  poolSize = DEFAULT_POOL_SIZE,
): AgencyDatabase {
  const queries = new QueryCounter();
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    entities: definition.entities,
    migrations: definition.migrations,
    migrationsTableName: 'migrations',
    // Each migration in its own transaction: a failed one leaves the ones before it applied.
    migrationsTransactionMode: 'each',
    synchronize: false,
    uuidExtension: 'pgcrypto',
    logging: ['query', 'error', 'warn'],
    logger: queries,
    extra: { max: poolSize, connectionTimeoutMillis: 5000 },
  });
  return { dataSource, queries };
}

/**
 * Opens a service's database. A service refuses to start on a database whose migrations have not
 * all run (`npm run db:setup` runs them), so code and schema never disagree silently.
 */
export async function openPostgresDatabase(
  url: string,
  definition: DatabaseDefinition,
  options: { migrate: boolean; poolSize?: number },
): Promise<AgencyDatabase> {
  const database = dataSourceFor(url, definition, options.poolSize);
  try {
    await database.dataSource.initialize();
  } catch (error) {
    throw new Error(
      `The ${definition.name} database at ${redact(url)} cannot be reached: ${error instanceof Error ? error.message : error}`,
      { cause: error },
    );
  }
  if (options.migrate) {
    await database.dataSource.runMigrations();
  } else if (await database.dataSource.showMigrations()) {
    await database.dataSource.destroy();
    throw new Error(
      `The ${definition.name} database at ${redact(url)} has migrations that have not run: run npm run db:setup.`,
    );
  }
  return database;
}

/** Creates the database if it does not exist (the server login needs CREATEDB). */
export async function ensureDatabase(serverUrl: string, database: string): Promise<boolean> {
  return withServer(serverUrl, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      database,
    ]);
    if (rowCount) return false;
    await client.query(`CREATE DATABASE "${database}"`);
    return true;
  });
}

export async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  await withServer(serverUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`),
  );
}

/**
 * The pool size of each of `pools` services sharing one PostgreSQL server (the distributed trial,
 * the benchmark): the server's connections (less those kept for superusers and `spare` for tools)
 * shared out, at most the default. Ten agencies with ten connections each would pass the default
 * max_connections of 100 under load, and a check would fail for want of a connection.
 */
export async function sharedPoolSize(
  serverUrl: string,
  pools: number,
  spare = 10,
): Promise<number> {
  const setting = (client: Client, name: string) =>
    client.query<{ setting: string }>('SELECT setting FROM pg_settings WHERE name = $1', [name]);
  const [max, reserved] = await withServer(serverUrl, async (client) => [
    Number((await setting(client, 'max_connections')).rows[0].setting),
    Number((await setting(client, 'superuser_reserved_connections')).rows[0].setting),
  ]);
  return Math.max(1, Math.min(DEFAULT_POOL_SIZE, Math.floor((max - reserved - spare) / pools)));
}

async function withServer<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A connection URL without its password, for messages and logs. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}
