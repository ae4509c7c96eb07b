import {
  databaseNameFor,
  databaseUrl,
  dropDatabase,
  ensureDatabase,
  openPostgresDatabase,
} from './postgres';
import type { DatabaseDefinition } from './postgres';

/**
 * What the entities need beyond what the migrations build: runs every migration on an empty
 * scratch database and asks TypeORM's schema builder for the difference. Empty means no drift.
 */
export async function schemaDrift(
  serverUrl: string,
  definition: DatabaseDefinition,
): Promise<{ up: string[]; down: string[] }> {
  const scratch = databaseNameFor(definition.name, `mashgw_drift_${process.pid}`);
  await dropDatabase(serverUrl, scratch);
  await ensureDatabase(serverUrl, scratch);
  try {
    const { dataSource } = await openPostgresDatabase(databaseUrl(serverUrl, scratch), definition, {
      migrate: true,
    });
    try {
      const sql = await dataSource.driver.createSchemaBuilder().log();
      return {
        up: sql.upQueries.map((q) => q.query),
        down: sql.downQueries.map((q) => q.query).reverse(),
      };
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await dropDatabase(serverUrl, scratch);
  }
}
