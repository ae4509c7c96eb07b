import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { qualified, startTestSystem } from './testSystem';
import { agencyCheckQuery } from '../gateway/exampleQuery';
import { RunningGateway, startGateway } from '../gateway/server';
import { caseReference } from '../subgraphs/mash/data';
import { Purpose, Role } from '../policies/roles';
import { caseStatus, MASH_TEAMS } from '../subgraphs/mash/data';
import { CaseStatus } from '../subgraphs/mash/entities/case';
import { postGraphQL, requestHeaders } from './graphqlClient';
import { captureLogs } from '../service/logger';
import { AGENCIES } from '../subgraphs/agencies';

/** Every agency's check field on Subject, and its agency's name. */
const AGENCY_OF_CHECK = new Map(AGENCIES.map((a) => [a.policy.checkField, a.name]));
const ANSWERED = ['FOUND', 'NONE_FOUND'];

let system: EmbeddedSystem;
let exampleCase: string;
let manager: Record<string, string>;

beforeAll(async () => {
  system = await startTestSystem({ port: 0, seed: 5, families: 12, subgraphTimeoutMs: 2000 });
  const family = system.population.find(
    (f) =>
      f.referral?.consent === 'GIVEN' && !f.newToArea && caseStatus(f.index) === CaseStatus.OPEN,
  )!;
  exampleCase = caseReference(family.index);
  manager = await requestHeaders(
    {
      userId: 'manager.test',
      role: Role.MASH_MANAGER,
      team: MASH_TEAMS[family.index % MASH_TEAMS.length],
    },
    Purpose.AGENCY_CHECK,
    exampleCase,
  );
});
afterAll(() => system?.stop());

async function checksThrough(gatewayUrl: string) {
  const { status, body } = await postGraphQL(
    gatewayUrl,
    agencyCheckQuery(exampleCase),
    undefined,
    manager,
  );
  expect(status).toBe(200);
  return body;
}

function expectOnlyUnavailable(
  body: Awaited<ReturnType<typeof checksThrough>>,
  agency: string,
  reason: RegExp,
) {
  const subjects = body.data.caseByReference.subjects;
  expect(subjects.length).toBeGreaterThan(0);
  for (const subject of subjects) {
    for (const [key, name] of AGENCY_OF_CHECK) {
      if (name === agency) {
        expect(subject[key]).toMatchObject({ status: 'UNAVAILABLE', match: null, checkedAt: null });
        expect(subject[key].reason).toMatch(reason);
      } else {
        expect(ANSWERED).toContain(subject[key].status);
      }
    }
  }
  const agencyErrors = body.errors!.filter((e) => e.extensions?.code === 'AGENCY_UNAVAILABLE');
  const otherErrors = body.errors!.filter(
    (e) => e.extensions?.code !== 'AGENCY_UNAVAILABLE' && !e.extensions?.rule,
  );
  expect(otherErrors).toEqual([]);
  expect(agencyErrors.length).toBeGreaterThan(0);
  for (const error of agencyErrors) expect(error.extensions?.agency).toBe(agency);
}

describe('an agency that cannot answer', () => {
  let hangingAgency: Server;
  let gatewayToHungAgency: RunningGateway;

  beforeAll(async () => {
    // Accepts the connection and never answers: a hung agency system.
    hangingAgency = createServer(() => undefined);
    await new Promise<void>((resolve) => hangingAgency.listen(0, '127.0.0.1', resolve));
    const hungUrl = `http://127.0.0.1:${(hangingAgency.address() as AddressInfo).port}/`;
    gatewayToHungAgency = await startGateway({
      ...system.gatewayOptions,
      subgraphs: system.subgraphs.map((s) => (s.name === 'health' ? { ...s, url: hungUrl } : s)),
      // Long enough that the agencies that do answer answer in time on a loaded machine.
      subgraphTimeoutMs: 1000,
    });
  });
  afterAll(async () => {
    await gatewayToHungAgency?.stop();
    hangingAgency?.closeAllConnections();
    hangingAgency?.close();
  });

  it('is UNAVAILABLE, with the deadline as the reason, when it does not answer in time', async () => {
    const started = Date.now();
    const body = await checksThrough(gatewayToHungAgency.url);
    expect(Date.now() - started).toBeLessThan(3000);
    expectOnlyUnavailable(body, 'health', /Timed out after 1000 ms/);
  });

  it.each(AGENCIES.map((a) => a.name))(
    'is UNAVAILABLE alone when %s cannot be reached',
    async (agency) => {
      // A port nothing listens on: the connection is refused.
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      const gateway = await startGateway({
        ...system.gatewayOptions,
        subgraphs: system.subgraphs.map((s) =>
          s.name === agency ? { ...s, url: `http://127.0.0.1:${port}/` } : s,
        ),
        subgraphTimeoutMs: 2000,
      });
      try {
        expectOnlyUnavailable(await checksThrough(gateway.url), agency, /could not be reached/);
      } finally {
        await gateway.stop();
      }
    },
  );

  it('is UNAVAILABLE when its own database fails, and the other agencies still answer', async () => {
    const education = system.subgraphs.find((s) => s.name === 'education')!;
    const agencyLog = captureLogs();
    await education.database.dataSource.query(
      `ALTER TABLE ${qualified(education.database.dataSource, 'pupil')} RENAME TO "pupil_offline"`,
    );
    try {
      const body = await checksThrough(system.gateway.url);
      expectOnlyUnavailable(
        body,
        'education',
        /The education service failed \(incident [0-9a-f-]+ in its log\)/,
      );
      // The detail stays in the agency's log, with the incident id and without the query's personal data.
      const incident = body
        .errors!.find((e) => e.extensions?.agency === 'education')!
        .message.match(/incident ([0-9a-f-]+)/)![1];
      expect(agencyLog.lines).toContainEqual(
        expect.objectContaining({
          service: 'education',
          msg: 'internal error',
          incident,
          reason: `relation "${qualified(education.database.dataSource, 'pupil').replace(/"/g, '')}" does not exist`,
        }),
      );
      // No date (but each line's own timestamp) and no NHS number anywhere in the log.
      const logged = agencyLog.lines.map(({ time: _time, ...line }) => JSON.stringify(line));
      expect(logged.join('\n')).not.toMatch(/\d{4}-\d{2}-\d{2}|999\d{7}/);
    } finally {
      agencyLog.stop();
      await education.database.dataSource.query(
        `ALTER TABLE ${qualified(education.database.dataSource, 'pupil_offline')} RENAME TO "pupil"`,
      );
    }
    const recovered = await checksThrough(system.gateway.url);
    expect(
      recovered.errors?.filter((e) => e.extensions?.code === 'AGENCY_UNAVAILABLE') ?? [],
    ).toEqual([]);
  });

  it('is UNAVAILABLE when its service is stopped, and only that agency is', async () => {
    await system.subgraphs.find((s) => s.name === 'police')!.stop();
    expectOnlyUnavailable(
      await checksThrough(system.gateway.url),
      'police',
      /could not be reached/,
    );
  });
});
