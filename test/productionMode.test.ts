import { ChildProcess, spawn } from 'node:child_process';
import { dataSourceFor, dropDatabase, databaseNameFor, databaseUrl } from '../database/postgres';
import { schemaDrift } from '../database/schemaDrift';
import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { agencyCheckQuery } from '../gateway/exampleQuery';
import { startGateway } from '../gateway/server';
import { Purpose, Role } from '../policies/roles';
import { SUBGRAPHS } from '../subgraphs';
import { audit } from '../subgraphs/audit';
import { verifyAuditChain } from '../subgraphs/audit/data';
import { AuditRecord } from '../subgraphs/audit/entities';
import { MASH_TEAMS } from '../subgraphs/mash/data';
import { postGraphQL, requestHeaders } from './graphqlClient';
import { startTestSystem, testDatabase } from './testSystem';
import { AGENCIES } from '../subgraphs/agencies';

const CHECK_FIELDS = AGENCIES.map((a) => a.policy.checkField);

/**
 * Production mode on a real PostgreSQL server (MASH_TEST_DATABASE=postgres, MASH_POSTGRES_URL):
 * migrations, indexes, several gateways on one audit chain, and every service in its own process.
 * The embedded run skips this file; CI runs it (see .ci/run).
 */
const onPostgres = testDatabase() === 'postgres';
const serverUrl = process.env.MASH_POSTGRES_URL ?? '';

(onPostgres ? describe : describe.skip)('production mode on PostgreSQL', () => {
  describe('migrations', () => {
    it.each(SUBGRAPHS.map((s) => [s.name, s]))(
      '%s: the migrations from an empty database build exactly what the entities declare',
      async (_name, definition) => {
        expect(definition.migrations.length).toBeGreaterThan(0);
        expect(await schemaDrift(serverUrl, definition)).toEqual({ up: [], down: [] });
      },
    );
  });

  describe('one system on PostgreSQL', () => {
    let system: EmbeddedSystem;
    let headers: Record<string, string>;
    beforeAll(async () => {
      system = await startTestSystem({ port: 0, seed: 17, families: 30, subgraphTimeoutMs: 3000 });
      headers = await requestHeaders(
        { userId: 'manager.pg', role: Role.MASH_MANAGER, team: system.exampleTeam },
        Purpose.AGENCY_CHECK,
        system.exampleCaseReference,
      );
    });
    afterAll(() => system?.stop());

    it('runs on real PostgreSQL, without synchronize', () => {
      for (const subgraph of system.subgraphs) {
        const options = subgraph.database.dataSource.options as {
          url?: string;
          synchronize?: boolean;
        };
        expect(options.url).toMatch(/^postgres(ql)?:\/\//);
        expect(options.synchronize).toBe(false);
      }
    });

    it('answers every lookup of an agency check from an index, never a table scan', async () => {
      for (const s of system.subgraphs) s.database.queries.recent = [];
      const { body } = await postGraphQL(
        system.gateway.url,
        agencyCheckQuery(system.exampleCaseReference),
        undefined,
        headers,
      );
      expect(body.data.caseByReference.subjects.length).toBeGreaterThan(0);
      let explained = 0;
      for (const subgraph of system.subgraphs) {
        const selects = subgraph.database.queries.recent.filter(
          (q) => /^\s*SELECT/i.test(q.query) && /\bWHERE\b/i.test(q.query),
        );
        const runner = subgraph.database.dataSource.createQueryRunner();
        try {
          // With sequential scans priced out, a scan in the plan means no index serves the lookup.
          await runner.query('SET enable_seqscan = off');
          for (const { query, parameters } of selects) {
            const plan = (await runner.query(`EXPLAIN ${query}`, parameters))
              .map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN'])
              .join('\n');
            expect({ subgraph: subgraph.name, query, scans: /Seq Scan/.test(plan) }).toEqual({
              subgraph: subgraph.name,
              query,
              scans: false,
            });
            explained += 1;
          }
        } finally {
          await runner.release();
        }
      }
      // The hub, four agencies (person index and records) and the audit append at least.
      expect(explained).toBeGreaterThanOrEqual(10);
    });

    it('keeps one valid audit chain when two gateways append at once', async () => {
      const store = system.subgraphs.find((s) => s.name === 'audit')!.database.dataSource;
      // A second, stateless gateway instance: same configuration, its own pool to the audit store.
      const secondStore = dataSourceFor((store.options as { url: string }).url, audit).dataSource;
      await secondStore.initialize();
      const second = await startGateway({
        ...system.gatewayOptions,
        port: 0,
        auditStore: secondStore,
      });
      try {
        const before = await store.getRepository(AuditRecord).count();
        const query =
          '{ caseByReference(reference: "' + system.exampleCaseReference + '") { reference } }';
        const answers = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            postGraphQL(i % 2 ? second.url : system.gateway.url, query, undefined, headers),
          ),
        );
        for (const { body } of answers)
          expect(body.data.caseByReference.reference).toBe(system.exampleCaseReference);
        expect(await store.getRepository(AuditRecord).count()).toBe(before + 40);
        const verdict = await verifyAuditChain(store);
        expect(verdict).toMatchObject({ valid: true, firstBrokenRecordId: null });
        expect(verdict.recordsChecked).toBe(before + 40);
      } finally {
        await second.stop();
        await secondStore.destroy();
      }
    });
  });

  describe('every service in its own process (npm run start:distributed)', () => {
    const prefix = `mashgw_dist_${process.pid}`;
    // A block of ports per run, wide enough for the gateways and every subgraph.
    const base = 25000 + (process.pid % 500) * 20;
    let launcher: ChildProcess;
    let output = '';
    let exited: Promise<number | null>;

    beforeAll(async () => {
      launcher = spawn(
        process.execPath,
        [
          '-r',
          '@swc-node/register',
          'service/distributed.ts',
          '--port',
          String(base),
          '--gateways',
          '2',
          '--families',
          '12',
          '--prefix',
          prefix,
        ],
        { env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      exited = new Promise((resolve) => launcher.once('exit', (code) => resolve(code)));
      launcher.stdout!.on('data', (chunk) => (output += chunk));
      launcher.stderr!.on('data', (chunk) => (output += chunk));
      const deadline = Date.now() + 90_000;
      while (!output.includes('is running distributed')) {
        if (Date.now() > deadline || launcher.exitCode !== null)
          throw new Error(`the distributed system did not start:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }, 120_000);

    afterAll(async () => {
      if (launcher?.exitCode === null) launcher.kill('SIGKILL');
      for (const s of SUBGRAPHS) await dropDatabase(serverUrl, databaseNameFor(s.name, prefix));
    });

    const gatewayPorts = [base, base + SUBGRAPHS.length + 1];

    it('has every service live and ready, and the gateways see every agency up', async () => {
      const ports = [...gatewayPorts, ...SUBGRAPHS.map((_, i) => base + 1 + i)];
      for (const port of ports) {
        const live = await fetch(`http://127.0.0.1:${port}/health/live`);
        expect(live.status).toBe(200);
        const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
        expect(ready.status).toBe(200);
      }
      const { checks } = (await (await fetch(`http://127.0.0.1:${base}/health/ready`)).json()) as {
        checks: Record<string, string>;
      };
      expect(Object.keys(checks).sort()).toEqual(
        ['audit store', ...SUBGRAPHS.map((s) => s.name)].sort(),
      );
      expect(Object.values(checks).every((c) => c === 'up')).toBe(true);
    });

    it('gives the same answer through either gateway', async () => {
      const manager = (team: string, caseRef: string | null) =>
        requestHeaders(
          { userId: 'manager.dist', role: Role.MASH_MANAGER, team },
          Purpose.AGENCY_CHECK,
          caseRef,
        );
      const list = await postGraphQL(
        `http://127.0.0.1:${base}/graphql`,
        '{ cases(first: 50, status: OPEN) { edges { node { reference } } } }',
        undefined,
        await manager(MASH_TEAMS[0], null),
      );
      const reference: string = list.body.data.cases.edges[0].node.reference;
      const team = MASH_TEAMS[Number(reference.slice(-6)) % MASH_TEAMS.length];
      const answers = await Promise.all(
        gatewayPorts.map(
          async (port) =>
            (
              await postGraphQL(
                `http://127.0.0.1:${port}/graphql`,
                `{ caseByReference(reference: "${reference}") { reference subjects { givenName ${CHECK_FIELDS.map((c) => `${c} { status }`).join(' ')} } } }`,
                undefined,
                await manager(team, reference),
              )
            ).body.data,
        ),
      );
      expect(answers[0].caseByReference.reference).toBe(reference);
      expect(answers[1]).toEqual(answers[0]);
      const statuses = answers[0].caseByReference.subjects.flatMap(
        (s: Record<string, { status: string }>) => CHECK_FIELDS.map((a) => s[a].status),
      );
      expect(statuses.every((s: string) => ['FOUND', 'NONE_FOUND'].includes(s))).toBe(true);
    });

    it('answers many checks at once through both gateways within the server’s connections', async () => {
      // Fourteen pools of the default ten would pass max_connections (100) under this load, and a
      // check would find an agency UNAVAILABLE for want of a connection (the benchmark did).
      const team = MASH_TEAMS[0];
      const list = await postGraphQL(
        `http://127.0.0.1:${base}/graphql`,
        '{ cases(first: 50, status: OPEN) { edges { node { reference } } } }',
        undefined,
        await requestHeaders(
          { userId: 'manager.dist', role: Role.MASH_MANAGER, team },
          Purpose.AGENCY_CHECK,
          null,
        ),
      );
      const references: string[] = list.body.data.cases.edges
        .map((e: { node: { reference: string } }) => e.node.reference)
        .filter((r: string) => MASH_TEAMS[Number(r.slice(-6)) % MASH_TEAMS.length] === team);
      expect(references.length).toBeGreaterThan(0);
      const checks = Array.from({ length: 40 }, async (_, i) => {
        const reference = references[i % references.length];
        const { status, body } = await postGraphQL(
          `http://127.0.0.1:${gatewayPorts[i % 2]}/graphql`,
          `{ caseByReference(reference: "${reference}") { subjects { ${CHECK_FIELDS.map((c) => `${c} { status }`).join(' ')} } } }`,
          undefined,
          await requestHeaders(
            { userId: 'manager.dist', role: Role.MASH_MANAGER, team },
            Purpose.AGENCY_CHECK,
            reference,
          ),
        );
        const statuses: string[] = (body.data?.caseByReference?.subjects ?? []).flatMap(
          (s: Record<string, { status: string }>) => CHECK_FIELDS.map((a) => s[a].status),
        );
        return { status, statuses, errors: body.errors?.map((e) => e.message) ?? [] };
      });
      const answered = await Promise.all(checks);
      expect(answered.filter((a) => a.status !== 200 || a.errors.length)).toEqual([]);
      expect(answered.flatMap((a) => a.statuses).filter((s) => s === 'UNAVAILABLE')).toEqual([]);
      const client = dataSourceFor(databaseUrl(serverUrl, 'postgres'), audit).dataSource;
      await client.initialize();
      try {
        const [{ max, reserved, connected }] = await client.query(
          `SELECT current_setting('max_connections')::int AS max,
                  current_setting('superuser_reserved_connections')::int AS reserved,
                  (SELECT count(*)::int FROM pg_stat_activity WHERE datname LIKE $1) AS connected`,
          [`${prefix}\\_%`],
        );
        expect(connected).toBeGreaterThan(0);
        expect(connected).toBeLessThan(max - reserved);
      } finally {
        await client.destroy();
      }
    }, 120_000);

    it('stops every process cleanly on SIGTERM', async () => {
      launcher.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('Every process stopped cleanly.');
    }, 60_000);
  });
});
