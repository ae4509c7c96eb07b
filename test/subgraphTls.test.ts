import { spawnSync } from 'node:child_process';
import { throwawayCertificates } from '../service/throwawayCertificates';
import { createPublicKey, KeyObject } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { openEmbeddedAgencyDatabase } from '../database/agencyDataSource';
import { EmbeddedPostgres } from '../database/embeddedPostgres';
import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { agencyCheckQuery } from '../gateway/exampleQuery';
import { RunningGateway, startGateway } from '../gateway/server';
import { Purpose, Role } from '../policies/roles';
import { SUBGRAPHS } from '../subgraphs';
import { RunningSubgraph, startSubgraph } from '../subgraphs/serve';
import { postGraphQL, requestHeaders } from './graphqlClient';
import { startTestSystem } from './testSystem';

/**
 * TLS between the gateway and a subgraph (distributed mode across hosts): the police subgraph
 * serves HTTPS with a certificate from a throwaway private CA, and a gateway that trusts that CA
 * gets its answers; one that does not, or that speaks plain HTTP to it, shows the police check
 * as UNAVAILABLE and answers the rest.
 */
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
if (!hasOpenssl) {
  test.skip('TLS between gateway and subgraphs: skipped, the openssl CLI is not installed', () => {});
}
const describeWithOpenssl = hasOpenssl ? describe : describe.skip;

/** A CA and a certificate it signed for this machine (localhost, 127.0.0.1), valid one day. */
function testCertificates(): { dir: string; ca: string; cert: string; key: string } {
  const made = throwawayCertificates('Test MASH CA', 1);
  const read = (file: string) => readFileSync(file, 'utf8');
  return {
    dir: made.dir,
    ca: read(made.caFile),
    cert: read(made.certFile),
    key: read(made.keyFile),
  };
}

describeWithOpenssl('TLS between the gateway and a subgraph', () => {
  let dir: string;
  let certificates: ReturnType<typeof testCertificates>;
  let system: EmbeddedSystem;
  let policeDatabase: EmbeddedPostgres;
  let securePolice: RunningSubgraph;
  const gateways: RunningGateway[] = [];

  beforeAll(async () => {
    certificates = testCertificates();
    dir = certificates.dir;
    system = await startTestSystem({ port: 0, seed: 7, families: 12, subgraphTimeoutMs: 3000 });
    // A second police service, on its own database with the same synthetic records, over HTTPS.
    const police = SUBGRAPHS.find((s) => s.name === 'police')!;
    policeDatabase = await EmbeddedPostgres.start();
    const database = await openEmbeddedAgencyDatabase(policeDatabase, 'police', police.entities);
    await police.seed(database.dataSource, system.population);
    securePolice = await startSubgraph(police, database, 0, publicKeyOf(system), {
      host: '127.0.0.1',
      tls: { cert: certificates.cert, key: certificates.key },
    });
  });

  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await securePolice?.stop();
    await policeDatabase?.close();
    await system?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A gateway like the system's, with the police at `policeUrl`. */
  async function gatewayWithPoliceAt(policeUrl: string, subgraphCaPem: string | null) {
    const gateway = await startGateway({
      ...system.gatewayOptions,
      port: 0,
      subgraphCaPem,
      subgraphs: system.subgraphs.map((s) => ({
        name: s.name,
        sdl: s.sdl,
        url: s.name === 'police' ? policeUrl : s.url,
      })),
    });
    gateways.push(gateway);
    return gateway;
  }

  async function policeChecks(gateway: RunningGateway) {
    const { status, body } = await postGraphQL(
      gateway.url,
      agencyCheckQuery(system.exampleCaseReference),
      undefined,
      await requestHeaders(
        { userId: 'manager.test', role: Role.MASH_MANAGER, team: system.exampleTeam },
        Purpose.AGENCY_CHECK,
        system.exampleCaseReference,
      ),
    );
    expect(status).toBe(200);
    const subjects = body.data.caseByReference.subjects as {
      police: { status: string; reason: string | null; incidents: unknown; checkedAt: string };
      health: { status: string };
    }[];
    return { subjects, errors: body.errors ?? [] };
  }

  it('serves HTTPS, and a gateway trusting the private CA gets the same answers as over HTTP', async () => {
    expect(securePolice.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    const gateway = await gatewayWithPoliceAt(securePolice.url, certificates.ca);
    const queriesBefore = securePolice.database.queries.count;
    const overTls = await policeChecks(gateway);
    // It was the HTTPS service that answered.
    expect(securePolice.database.queries.count).toBeGreaterThan(queriesBefore);
    const overHttp = await policeChecks(system.gateway);
    const police = (checks: typeof overTls) =>
      checks.subjects.map(({ police: { checkedAt: _when, ...check } }) => check);
    expect(overTls.subjects.map((s) => s.police.status)).not.toContain('UNAVAILABLE');
    expect(police(overTls)).toEqual(police(overHttp));

    const ready = await fetch(new URL('/health/ready', gateway.url));
    expect(((await ready.json()) as { checks: Record<string, string> }).checks.police).toBe('up');
  });

  it('refuses a certificate from a CA it was not told to trust: the police check is UNAVAILABLE', async () => {
    const gateway = await gatewayWithPoliceAt(securePolice.url, null);
    const { subjects } = await policeChecks(gateway);
    for (const s of subjects) {
      expect(s.police.status).toBe('UNAVAILABLE');
      expect(s.police.incidents).toBeNull();
      expect(s.health.status).not.toBe('UNAVAILABLE');
    }
  });

  it('shows plain HTTP to an HTTPS subgraph as UNAVAILABLE, not a crash', async () => {
    const gateway = await gatewayWithPoliceAt(
      securePolice.url.replace('https://', 'http://'),
      certificates.ca,
    );
    const { subjects } = await policeChecks(gateway);
    for (const s of subjects) {
      expect(s.police.status).toBe('UNAVAILABLE');
      expect(s.police.reason).toMatch(/could not be reached/);
      expect(s.police.reason).not.toMatch(/127\.0\.0\.1/);
      expect(s.health.status).not.toBe('UNAVAILABLE');
    }
    // The gateway is still answering.
    expect((await fetch(new URL('/health/live', gateway.url))).status).toBe(200);
  });
});

/** The public half of the system's signing key: the second police service verifies with it. */
function publicKeyOf(system: EmbeddedSystem): KeyObject {
  return createPublicKey(system.gatewayOptions.accessSigningKey as KeyObject);
}
