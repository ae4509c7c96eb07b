import { AgencyDatabase, analyse, openEmbeddedAgencyDatabase } from '../database/agencyDataSource';
import { EmbeddedPostgres } from '../database/embeddedPostgres';
import {
  databaseNameFor,
  databaseUrl,
  dropDatabase,
  ensureDatabase,
  openPostgresDatabase,
} from '../database/postgres';
import type { SubgraphDefinition } from '../schema/subgraphDefinition';
import { SUBGRAPHS } from '../subgraphs';
import { generateKeyPair } from 'jose';
import { caseReference, caseStatus, caseSystemReference, MASH_TEAMS } from '../subgraphs/mash/data';
import { CaseStatus } from '../subgraphs/mash/entities/case';
import { RunningSubgraph, startSubgraph } from '../subgraphs/serve';
import { warmAgencyMatchModels } from '../schema/agencyMatchModel';
import { generatePopulation, SyntheticFamily } from '../synthetic/population';
import {
  AuthenticationConfig,
  DEVELOPMENT_AUTHENTICATION,
  issueDevelopmentToken,
} from './authentication';
import { ensureDataDirectory } from './dataDirectory';
import {
  agencyCheckQuery,
  operationHeaders,
  SavedOperation,
  savedOperations,
} from './exampleQuery';
import type { QueryLimits } from './queryLimits';
import {
  DevelopmentServiceAccount,
  developmentServiceAccounts,
  registeredClient,
  SERVICE_ACCOUNT_TOKEN_SECONDS,
} from './clientCredentials';
import type { RegisteredOperations } from './registeredOperations';
import type { ServiceAccountRateLimit } from './serviceAccountRateLimit';
import { GatewayOptions, RunningGateway, startGateway } from './server';

export interface EmbeddedSystemOptions {
  /** Gateway port; subgraphs take the next ports in order. 0: any free ports (tests). */
  port: number;
  seed: number;
  families: number;
  subgraphTimeoutMs: number;
  /** Where the audit store keeps its files; null keeps it in memory (tests that need no restart). */
  auditDataDir?: string | null;
  /** Whose tokens are accepted; by default the development key pair. */
  authentication?: AuthenticationConfig;
  /** Run on this PostgreSQL server instead of the embedded database (production-mode tests). */
  postgres?: PostgresOptions | null;
  /** What one request may ask; the documented defaults when not given. */
  limits?: QueryLimits;
  /**
   * `/metrics` answers only with this bearer token; without one it is open to whoever reaches the
   * port, which the embedded system keeps on loopback.
   */
  metricsToken?: string | null;
  /** The case systems the token endpoint knows; by default the demo's, kept in `.mash-dev/`. */
  serviceAccounts?: DevelopmentServiceAccount[];
  /** Each service account's rate; the default when not given, null for none (tests of the layers beneath). */
  serviceAccountRateLimit?: ServiceAccountRateLimit | null;
  /** The operations service accounts may run; the repository's when not given, null for any (policy tests). */
  registeredOperations?: RegisteredOperations | null;
}

export interface PostgresOptions {
  /** `postgres://user:password@host:port`; the login needs CREATEDB. */
  serverUrl: string;
  /** Databases are named `<prefix>_<service>`; a new prefix per run keeps runs apart. */
  databasePrefix: string;
  dropOnStop: boolean;
}

export interface EmbeddedSystem {
  gateway: RunningGateway;
  subgraphs: RunningSubgraph[];
  population: SyntheticFamily[];
  exampleCaseReference: string;
  /** The MASH team the example case is assigned to. */
  exampleTeam: string;
  /** One operation per role for the example case, as GraphiQL's tabs offer them. */
  savedOperations: SavedOperation[];
  /** The case systems' client credentials (`POST /oauth/token`), secrets included: the demo's own. */
  serviceAccounts: DevelopmentServiceAccount[];
  /** How the gateway was started, to start another like it (tests). */
  gatewayOptions: GatewayOptions;
  stop(): Promise<void>;
}

/**
 * The whole hub in one process on the embedded database: every subgraph seeded from the same
 * synthetic population, each in its own schema, behind one gateway.
 */
export async function startEmbeddedSystem(options: EmbeddedSystemOptions): Promise<EmbeddedSystem> {
  const population = generatePopulation({ seed: options.seed, families: options.families });
  // The gateway signs each request's access context; every subgraph verifies it with this public key.
  const accessSigning = await generateKeyPair('ES256');
  const stores = options.postgres
    ? postgresStores(options.postgres)
    : await embeddedStores(options.auditDataDir ?? null);
  const subgraphs: RunningSubgraph[] = [];
  try {
    for (const [i, definition] of SUBGRAPHS.entries()) {
      const port = options.port === 0 ? 0 : options.port + i + 1;
      const database = await stores.open(definition);
      await definition.seed(database.dataSource, population);
      await analyse(database.dataSource);
      // As a production service does before it is ready (service/main.ts): the first check of a
      // fresh system does not wait for ten agencies' match models, one after another.
      await warmAgencyMatchModels(database.dataSource, definition.entities);
      subgraphs.push(await startSubgraph(definition, database, port, accessSigning.publicKey));
    }
    const example = exampleFamily(population);
    const exampleCaseReference = caseReference(example.index);
    const exampleTeam = MASH_TEAMS[example.index % MASH_TEAMS.length];
    const operations = savedOperations({
      caseReference: exampleCaseReference,
      caseSystemReference: caseSystemReference(example.index),
      team: exampleTeam,
    });
    const authentication = options.authentication ?? DEVELOPMENT_AUTHENTICATION;
    const developmentKeyTrusted =
      !authentication.jwksUrl &&
      !authentication.publicKeyPem &&
      authentication.issuer === DEVELOPMENT_AUTHENTICATION.issuer;
    const serviceAccounts = options.serviceAccounts ?? developmentServiceAccounts();
    const gatewayOptions: GatewayOptions = {
      subgraphs,
      port: options.port,
      subgraphTimeoutMs: options.subgraphTimeoutMs,
      limits: options.limits,
      // GraphiQL, introspection and field suggestions: the demo is for finding one's way around.
      demo: true,
      authentication,
      metrics: { token: options.metricsToken ?? null },
      registeredOperations: options.registeredOperations,
      serviceAccountRateLimit: options.serviceAccountRateLimit,
      // Client credentials for the case systems, signed with the development key: only where that
      // key is what the gateway trusts (an identity provider issues them otherwise).
      tokenEndpoint: developmentKeyTrusted
        ? {
            clients: serviceAccounts.map(registeredClient),
            audience: authentication.audience,
            lifetimeSeconds: SERVICE_ACCOUNT_TOKEN_SECONDS,
          }
        : null,
      accessSigningKey: accessSigning.privateKey,
      auditStore: subgraphs.find((s) => s.name === 'audit')!.database.dataSource,
      exampleQuery: () => agencyCheckQuery(exampleCaseReference),
      // Issued on every load of the page: a demo left running for days still opens with valid tokens.
      exampleTabs: () =>
        Promise.all(
          operations.map(async (operation) => ({
            key: operation.key,
            query: operation.query,
            variables: operation.variables ? JSON.stringify(operation.variables, null, 2) : null,
            headers: operationHeaders(operation, await issueDevelopmentToken(operation.identity)),
          })),
        ),
    };
    const gateway = await startGateway(gatewayOptions);
    return {
      gateway,
      subgraphs,
      population,
      exampleCaseReference,
      exampleTeam,
      savedOperations: operations,
      serviceAccounts,
      gatewayOptions,
      async stop() {
        await gateway.stop();
        await Promise.all(subgraphs.map((s) => s.stop()));
        await stores.close();
      },
    };
  } catch (error) {
    await Promise.all(subgraphs.map((s) => s.stop()));
    await stores.close();
    throw error;
  }
}

/** Where the services keep their records: opens each one's database, closes them all. */
interface Stores {
  open(definition: SubgraphDefinition): Promise<AgencyDatabase>;
  close(): Promise<void>;
}

/**
 * The embedded default: one in-memory PGlite with a schema per agency, created by `synchronize`
 * at every start. The agencies' demo data is generated afresh each time; the audit trail is not:
 * it must survive the process, so it has its own database on disk when `auditDataDir` is given.
 */
async function embeddedStores(auditDataDir: string | null): Promise<Stores> {
  // Checked before the in-memory database starts: a folder that cannot be used fails at once, named.
  const auditDir = auditDataDir ? ensureDataDirectory(auditDataDir, 'AUDIT_DATA_DIR') : null;
  const embedded = await EmbeddedPostgres.start();
  const auditEmbedded = auditDir ? await EmbeddedPostgres.start(auditDir) : embedded;
  return {
    open: (definition) =>
      openEmbeddedAgencyDatabase(
        definition.name === 'audit' ? auditEmbedded : embedded,
        definition.name,
        definition.entities,
      ),
    async close() {
      await embedded.close();
      if (auditEmbedded !== embedded) await auditEmbedded.close();
    },
  };
}

/**
 * Production mode's storage on one PostgreSQL server: each service its own new database
 * (`<prefix>_<service>`), built by its migrations, dropped at stop when asked.
 */
function postgresStores(postgres: PostgresOptions): Stores {
  const created: string[] = [];
  return {
    async open(definition) {
      const name = databaseNameFor(definition.name, postgres.databasePrefix);
      await dropDatabase(postgres.serverUrl, name);
      await ensureDatabase(postgres.serverUrl, name);
      created.push(name);
      return openPostgresDatabase(databaseUrl(postgres.serverUrl, name), definition, {
        migrate: true,
      });
    },
    async close() {
      if (!postgres.dropOnStop) return;
      for (const name of created) await dropDatabase(postgres.serverUrl, name);
    },
  };
}

/** A referred family with a domestic-abuse history and consent given: every agency has something to say. */
function exampleFamily(population: SyntheticFamily[]): SyntheticFamily {
  const referred = population.filter(
    (f) =>
      f.referral &&
      !f.newToArea &&
      f.referral.consent === 'GIVEN' &&
      caseStatus(f.index) === CaseStatus.OPEN,
  );
  const example = referred.find((f) => f.concern === 'DOMESTIC_ABUSE') ?? referred[0];
  if (!example) throw new Error('The synthetic population has no referred family: raise FAMILIES.');
  return example;
}
