import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { analyse } from '../database/agencyDataSource';
import {
  databaseNameFor,
  databaseUrl,
  dataSourceFor,
  ensureDatabase,
  redact,
} from '../database/postgres';
import { SUBGRAPHS } from '../subgraphs';
import { DEFAULT_POPULATION, generatePopulation } from '../synthetic/population';

export interface SetupOptions {
  /** Databases are named `<prefix>_<service>`. */
  prefix: string;
  /** Seed an empty database with this synthetic population (a local trial); null seeds nothing. */
  families: number | null;
  seed: number;
  log?: (line: string) => void;
}

/**
 * Creates each service's database on the server when it is missing, runs its pending
 * migrations, and (for a local trial only) seeds the synthetic population into empty ones.
 * Returns each service's database URL.
 */
export async function setUpDatabases(
  serverUrl: string,
  options: SetupOptions,
): Promise<Record<string, string>> {
  const log = options.log ?? console.log;
  const population =
    options.families === null
      ? null
      : generatePopulation({ seed: options.seed, families: options.families });
  const urls: Record<string, string> = {};
  for (const definition of SUBGRAPHS) {
    const name = databaseNameFor(definition.name, options.prefix);
    const created = await ensureDatabase(serverUrl, name);
    const url = databaseUrl(serverUrl, name);
    const { dataSource } = dataSourceFor(url, definition);
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      const counts = await Promise.all(
        definition.entities.map((e) => dataSource.getRepository(e).count()),
      );
      const empty = counts.every((c) => c === 0);
      if (population && empty) {
        await definition.seed(dataSource, population);
        await analyse(dataSource);
      }
      const seeded =
        population && empty && (await dataSource.getRepository(definition.entities[0]).count()) > 0;
      log(
        `${definition.name.padEnd(12)} ${redact(url)}  ${created ? 'created, ' : ''}${applied.length ? `migrations run: ${applied.map((m) => m.name).join(', ')}` : 'migrations up to date'}${seeded ? `, seeded ${options.families} synthetic families` : ''}`,
      );
    } finally {
      await dataSource.destroy();
    }
    urls[definition.name] = url;
  }
  return urls;
}

/** `npm run db:setup -- [--families N]`: databases and migrations on MASH_POSTGRES_URL. */
async function main() {
  const { values } = parseArgs({
    options: {
      families: { type: 'string' },
      seed: { type: 'string' },
      prefix: { type: 'string', default: 'mashgw' },
    },
  });
  const serverUrl = process.env.MASH_POSTGRES_URL;
  if (!serverUrl) {
    throw new Error(
      'Set MASH_POSTGRES_URL to the PostgreSQL server (bash scripts/postgres.sh starts a local one and prints it).',
    );
  }
  await setUpDatabases(serverUrl, {
    prefix: values.prefix,
    families: values.families ? Number(values.families) : null,
    seed: values.seed ? Number(values.seed) : DEFAULT_POPULATION.seed,
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
