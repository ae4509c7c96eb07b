import type { DataSource } from 'typeorm';
import {
  EmbeddedSystem,
  EmbeddedSystemOptions,
  PostgresOptions,
  startEmbeddedSystem,
} from '../gateway/embeddedSystem';

/**
 * The integration tests run twice in CI: on the embedded default, and with MASH_TEST_DATABASE=postgres
 * on a real PostgreSQL server (MASH_POSTGRES_URL), each service its own database built by migrations.
 */
export function testDatabase(): 'embedded' | 'postgres' {
  return process.env.MASH_TEST_DATABASE === 'postgres' ? 'postgres' : 'embedded';
}

let systems = 0;

/** Fresh databases for one system on the test server; null on the embedded default. */
export function testPostgres(): PostgresOptions | null {
  if (testDatabase() !== 'postgres') return null;
  const serverUrl = process.env.MASH_POSTGRES_URL;
  if (!serverUrl) throw new Error('MASH_TEST_DATABASE=postgres needs MASH_POSTGRES_URL.');
  // Test files run in parallel workers: the pid and a counter keep their databases apart.
  return {
    serverUrl,
    databasePrefix: `mashgw_test_${process.pid}_${++systems}`,
    dropOnStop: true,
  };
}

export function startTestSystem(options: EmbeddedSystemOptions): Promise<EmbeddedSystem> {
  return startEmbeddedSystem({ ...options, postgres: testPostgres() });
}

/** A table's name for raw SQL: schema-qualified on the embedded database, plain on PostgreSQL. */
export function qualified(dataSource: DataSource, table: string): string {
  const schema = (dataSource.options as { schema?: string }).schema;
  return schema ? `"${schema}"."${table}"` : `"${table}"`;
}

/**
 * A case system may run only registered operations, at a bounded rate. Tests that send a case
 * system any operation, to prove the policies beneath those controls hold on their own, turn the
 * controls off with this; test/caseSystemAccess.test.ts tests the controls themselves.
 */
export const POLICIES_ALONE = {
  registeredOperations: null,
  serviceAccountRateLimit: null,
} as const;
