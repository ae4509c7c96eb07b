import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

/** Bulk insert for seeding: PostgreSQL caps the parameters of one statement at 65,535. */
export async function insertInChunks<T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  rows: T[],
  chunkSize = 1000,
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunkSize) {
    await dataSource.getRepository(entity).insert(rows.slice(i, i + chunkSize) as never);
  }
}
