import 'reflect-metadata';
import { openPostgresDatabase, redact } from '../database/postgres';
import { agencyCheckQuery } from '../gateway/exampleQuery';
import { startGateway } from '../gateway/server';
import { SUBGRAPHS } from '../subgraphs';
import { audit } from '../subgraphs/audit';
import { startSubgraph } from '../subgraphs/serve';
import { warmAgencyMatchModels } from '../schema/agencyMatchModel';
import { GatewayServiceConfig, loadServiceConfig, SubgraphServiceConfig } from './config';
import { serviceLog } from './logger';
import { startTracing } from '../gateway/tracing';

/**
 * `npm run service -- <name>` (or `npm run start:<name>`): one service in its own process, on
 * PostgreSQL, configured from its environment (see the README's deployment section). Stops
 * gracefully on SIGTERM or SIGINT: in-flight requests finish, then the database pool closes.
 */
async function main() {
  const started = Date.now();
  const config = await loadServiceConfig(process.argv[2]);
  // Off unless OTEL_TRACES_EXPORTER says otherwise.
  const tracing = startTracing(`mash-${config.kind === 'gateway' ? 'gateway' : config.name}`);
  const running =
    config.kind === 'gateway'
      ? await startGatewayService(config)
      : await startSubgraphService(config);
  const log = serviceLog(running.name);
  log.info(
    { url: running.url, startedInMs: Date.now() - started },
    `ready at ${running.url} (health: /health/live, /health/ready)`,
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'finishing in-flight requests, then stopping');
    await running.stop();
    await tracing?.shutdown();
    log.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

async function startSubgraphService(config: SubgraphServiceConfig) {
  const definition = SUBGRAPHS.find((s) => s.name === config.name)!;
  const database = await openPostgresDatabase(config.databaseUrl, definition, {
    migrate: false,
    poolSize: config.databasePoolSize,
  });
  serviceLog(config.name).info({ database: redact(config.databaseUrl) }, 'database open');
  // Estimated before the service is ready, not at its first check (seconds at a large agency).
  const warmedAt = Date.now();
  if (await warmAgencyMatchModels(database.dataSource, definition.entities))
    serviceLog(config.name).info({ ms: Date.now() - warmedAt }, 'match model estimated');
  const subgraph = await startSubgraph(
    definition,
    database,
    config.port,
    config.accessSigningPublicKey,
    { host: config.host, tls: config.tls, logReads: config.logReads },
  );
  return { name: config.name, url: subgraph.url, stop: () => subgraph.stop() };
}

async function startGatewayService(config: GatewayServiceConfig) {
  const auditStore = await openPostgresDatabase(config.auditDatabaseUrl, audit, {
    migrate: false,
    poolSize: config.databasePoolSize,
  });
  // The supergraph is composed from this release's own subgraph definitions, so the gateway can
  // start (and show an agency as UNAVAILABLE) while that agency's service is down.
  const subgraphs = await Promise.all(
    SUBGRAPHS.map(async (definition) => ({
      name: definition.name,
      url: config.subgraphUrls[definition.name],
      sdl: (await definition.buildSchema()).sdl,
    })),
  );
  const gateway = await startGateway({
    subgraphs,
    port: config.port,
    host: config.host,
    subgraphTimeoutMs: config.subgraphTimeoutMs,
    authentication: config.authentication,
    accessSigningKey: config.accessSigningPrivateKey,
    subgraphCaPem: config.subgraphCaPem,
    limits: config.limits,
    serviceAccountRateLimit: config.serviceAccountRateLimit,
    metrics: config.metricsToken ? { token: config.metricsToken } : null,
    auditStore: auditStore.dataSource,
    exampleQuery: () => agencyCheckQuery('MASH-2026-000000'),
  });
  return {
    name: 'gateway',
    url: gateway.url,
    stop: async () => {
      await gateway.stop();
      await auditStore.dataSource.destroy();
    },
  };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
