import { randomUUID } from 'node:crypto';
import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { Purpose, Role } from '../policies/roles';
import { HealthContact, HealthContactKind, HealthPatient } from '../subgraphs/health/entities';
import { caseReference, caseStatus, MASH_TEAMS } from '../subgraphs/mash/data';
import { AuditRecord } from '../subgraphs/audit/entities';
import { Case, CaseStatus } from '../subgraphs/mash/entities/case';
import { ThresholdOfNeed } from '../workflow/continuumOfNeed';
import {
  CrisisContactKind,
  MentalHealthCrisisContact,
  MentalHealthPatient,
} from '../subgraphs/mental-health/entities';
import {
  IncidentType,
  InvolvementRole,
  PoliceArrest,
  PoliceIncident,
  PoliceInvolvement,
  PolicePerson,
} from '../subgraphs/police/entities';
import { AgencyPerson } from '../schema/agencyPerson';
import { AGENCIES } from '../subgraphs/agencies';
import type { SyntheticFamily } from '../synthetic/population';
import { GraphQLBody, postGraphQL, requestHeaders } from './graphqlClient';
import { startTestSystem } from './testSystem';
import { subgraphCalls } from '../gateway/subgraphFetch';

/**
 * The chronology, its change feed and the cumulative picture, through the real gateway, on a
 * fixture written into the agencies' own databases for one subject: police incidents and an arrest,
 * health contacts, mental-health crisis contacts, three of them at the very same moment. The other
 * agencies forget the subject, so the fixture is the subject's whole chronology (every agency's
 * own events: test/chronologyAgencies.test.ts).
 */

let system: EmbeddedSystem;
let family: SyntheticFamily;
let subjectId: string;
const NOW = Date.now();
const DAY = 86_400_000;
const at = (daysAgo: number) => new Date(NOW - daysAgo * DAY);
const dateOnly = (daysAgo: number) => at(daysAgo).toISOString().slice(0, 10);
/** Three events at one moment: health, then police by record reference. */
const TIE = at(10);

const REF = {
  incidentTie: 'a0000000-0000-4000-8000-000000000001',
  arrestTie: 'b0000000-0000-4000-8000-000000000002',
  contactTie: 'c0000000-0000-4000-8000-000000000003',
  incident40: 'a0000000-0000-4000-8000-000000000040',
  incidentFlagged60: 'a0000000-0000-4000-8000-000000000060',
  incident200: 'a0000000-0000-4000-8000-000000000200',
  incident500: 'a0000000-0000-4000-8000-000000000500',
  missed20: 'c0000000-0000-4000-8000-000000000020',
  missed100: 'c0000000-0000-4000-8000-000000000100',
  missed400: 'c0000000-0000-4000-8000-000000000400',
};
const SECRET = {
  flagged: 'Fixture: under active investigation, not for sharing.',
  clinical: 'Fixture: clinical detail, special category.',
  crisis: 'Fixture: crisis contact detail, special category.',
};

/** The fixture's events the manager may see, oldest first, ties by agency then reference. */
const EXPECTED_ORDER = [
  ['police', REF.incident500],
  ['health', REF.missed400],
  ['police', REF.incident200],
  ['health', REF.missed100],
  ['police', REF.incidentFlagged60],
  ['police', REF.incident40],
  ['health', REF.missed20],
  ['health', REF.contactTie],
  ['police', REF.incidentTie],
  ['police', REF.arrestTie],
];

const db = (name: string) => system.subgraphs.find((s) => s.name === name)!.database.dataSource;
const team = (f: SyntheticFamily) => MASH_TEAMS[f.index % MASH_TEAMS.length];

function manager(f: SyntheticFamily, purpose = Purpose.AGENCY_CHECK, who = 'manager.test') {
  return requestHeaders(
    { userId: who, role: Role.MASH_MANAGER, team: team(f) },
    purpose,
    caseReference(f.index),
  );
}

async function ask(
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
): Promise<GraphQLBody> {
  const { body } = await postGraphQL(system.gateway.url, query, variables, headers);
  return body;
}

const SUBJECT_CHECKS = `query ($ref: String!) { caseByReference(reference: $ref) { subjects { id
  police { status match { recordReference needsVerification } }
  health { status match { recordReference needsVerification } }
  mentalHealth { status match { recordReference needsVerification } } } } }`;

type Check = { status: string; match: { recordReference: string; needsVerification: boolean } };

/** A person row at `agency` copied from the police's (same demographics): the agency knows them too. */
async function enrol(
  entity: typeof HealthPatient | typeof MentalHealthPatient,
  person: PolicePerson,
  extra: object,
): Promise<string> {
  const id = randomUUID();
  await db(entity === HealthPatient ? 'health' : 'mental-health')
    .getRepository(entity)
    .insert({ ...person, id, ...extra });
  return id;
}

/**
 * An open household with consent, and in it a subject the police know with certainty and health
 * and mental health either know with certainty or not at all: their records are replaced by the
 * fixture (health and mental health enrolling the subject from the police's row if need be).
 */
async function writeFixture(): Promise<void> {
  const candidates = system.population.filter(
    (f) =>
      f.referral?.consent === 'GIVEN' &&
      caseStatus(f.index) === CaseStatus.OPEN &&
      f.concern === 'DOMESTIC_ABUSE',
  );
  for (const f of candidates) {
    const body = await ask(SUBJECT_CHECKS, { ref: caseReference(f.index) }, await manager(f));
    for (const s of body.data?.caseByReference?.subjects ?? []) {
      const [police, health, mh] = [s.police, s.health, s.mentalHealth] as Check[];
      const certainOrNone = (c: Check) =>
        c.status === 'NONE_FOUND' || (c.status === 'FOUND' && !c.match.needsVerification);
      if (police.status !== 'FOUND' || police.match.needsVerification) continue;
      if (!certainOrNone(health) || mh.status !== 'NONE_FOUND') continue;
      const person = await db('police')
        .getRepository(PolicePerson)
        .findOneByOrFail({ id: police.match.recordReference });
      const patientId =
        health.status === 'FOUND'
          ? health.match.recordReference
          : await enrol(HealthPatient, person, {
              gpPractice: 'Fixture Surgery',
              registeredSince: '2015-01-01',
            });
      const mhPatientId = await enrol(MentalHealthPatient, person, {});
      await replaceRecords(person.id, patientId, mhPatientId);
      await forgetElsewhere(f, s.id);
      family = f;
      subjectId = s.id;
      // The copies must match as the police's row does, or the fixture would be withheld.
      const again = await ask(SUBJECT_CHECKS, { ref: caseReference(f.index) }, await manager(f));
      const subject = again.data.caseByReference.subjects.find(
        (x: { id: string }) => x.id === s.id,
      );
      for (const check of [subject.health, subject.mentalHealth] as Check[])
        expect(check).toMatchObject({ status: 'FOUND', match: { needsVerification: false } });
      return;
    }
  }
  throw new Error('No household fits the chronology fixture: change the seed.');
}

const FIXTURE_AGENCIES = ['police', 'health', 'mental-health'];

/** Every other agency that knows the subject forgets them: their person row goes. */
async function forgetElsewhere(f: SyntheticFamily, id: string): Promise<void> {
  const others = AGENCIES.filter((a) => !FIXTURE_AGENCIES.includes(a.name));
  const body = await ask(
    `query ($ref: String!) { caseByReference(reference: $ref) { subjects { id
      ${others.map((a) => `${a.policy.checkField} { match { recordReference } }`).join('\n')} } } }`,
    { ref: caseReference(f.index) },
    await manager(f),
  );
  const subject = body.data.caseByReference.subjects.find((x: { id: string }) => x.id === id);
  for (const agency of others) {
    const match = subject[agency.policy.checkField]?.match;
    if (!match) continue;
    const person = agency.entities.find((e) => e.prototype instanceof AgencyPerson)!;
    await db(agency.name).getRepository(person).delete({ id: match.recordReference });
  }
}

async function replaceRecords(policeId: string, patientId: string, mhPatientId: string) {
  const police = db('police');
  await police.getRepository(PoliceInvolvement).delete({ personId: policeId });
  await police.getRepository(PoliceArrest).delete({ personId: policeId });
  const incident = (id: string, occurredAt: Date, flagged = false) => ({
    id,
    occurredAt,
    type: IncidentType.DOMESTIC_ABUSE,
    summary: flagged ? SECRET.flagged : `Fixture incident ${id}.`,
    domesticAbuseRisk: null,
    requiresCustodianRelease: flagged,
  });
  const incidents = [
    incident(REF.incidentTie, TIE),
    incident(REF.incident40, at(40)),
    incident(REF.incidentFlagged60, at(60), true),
    incident(REF.incident200, at(200)),
    incident(REF.incident500, at(500)),
  ];
  await police.getRepository(PoliceIncident).insert(incidents);
  await police.getRepository(PoliceInvolvement).insert(
    incidents.map((i) => ({
      personId: policeId,
      incident: { id: i.id } as PoliceIncident,
      role: InvolvementRole.VICTIM,
    })),
  );
  await police.getRepository(PoliceArrest).insert({
    id: REF.arrestTie,
    personId: policeId,
    arrestedAt: TIE,
    offence: 'Fixture offence',
    outcome: 'Charged',
  });
  const health = db('health');
  await health.getRepository(HealthContact).delete({ patientId });
  const contact = (id: string, kind: HealthContactKind, occurredAt: Date) => ({
    id,
    patientId,
    kind,
    occurredAt,
    service: `Fixture service ${kind}`,
    summary: SECRET.clinical,
  });
  await health
    .getRepository(HealthContact)
    .insert([
      contact(REF.contactTie, HealthContactKind.AE_ATTENDANCE, TIE),
      contact(REF.missed20, HealthContactKind.MISSED_APPOINTMENT, at(20)),
      contact(REF.missed100, HealthContactKind.MISSED_APPOINTMENT, at(100)),
      contact(REF.missed400, HealthContactKind.MISSED_APPOINTMENT, at(400)),
    ]);
  await db('mental-health')
    .getRepository(MentalHealthCrisisContact)
    .insert(
      [30, 300].map((days) => ({
        patientId: mhPatientId,
        kind: CrisisContactKind.CRISIS_ASSESSMENT,
        occurredOn: dateOnly(days),
        summary: SECRET.crisis,
      })),
    );
}

beforeAll(async () => {
  system = await startTestSystem({ port: 0, seed: 11, families: 60, subgraphTimeoutMs: 5000 });
  await writeFixture();
}, 120_000);
afterAll(() => system?.stop());

const CHRONOLOGY = `query ($ref: String!, $first: Int, $after: String, $agencies: [String!], $kinds: [String!], $from: DateTimeISO, $to: DateTimeISO) {
  caseByReference(reference: $ref) { subjects { id
    chronology(first: $first, after: $after, agencies: $agencies, kinds: $kinds, from: $from, to: $to) {
      totalCount
      edges { cursor node { agency occurredAt kind summary summaryTier summaryWithheld { code rule } recordReference subjectIds } }
      pageInfo { hasNextPage endCursor }
      agencies { agency status reason }
      withheld { agency code rule count }
    } } } }`;

async function chronology(variables: Record<string, unknown>, headers?: Record<string, string>) {
  const body = await ask(
    CHRONOLOGY,
    { ref: caseReference(family.index), ...variables },
    headers ?? (await manager(family)),
  );
  const subject = body.data?.caseByReference?.subjects.find(
    (s: { id: string }) => s.id === subjectId,
  );
  return { body, page: subject?.chronology };
}

const order = (edges: { node: { agency: string; recordReference: string } }[]) =>
  edges.map((e) => [e.node.agency, e.node.recordReference]);

describe('order and pagination across agencies', () => {
  it('merges every agency in time order, equal moments by agency then record reference', async () => {
    const { page } = await chronology({ first: 100 });
    expect(order(page.edges)).toEqual(EXPECTED_ORDER);
    expect(page.totalCount).toBe(EXPECTED_ORDER.length);
    expect(page.pageInfo.hasNextPage).toBe(false);
    const tie = page.edges
      .slice(-3)
      .map((e: { node: { occurredAt: string } }) => e.node.occurredAt);
    expect(new Set(tie)).toEqual(new Set([TIE.toISOString()]));
  });

  it.each([1, 2, 4, EXPECTED_ORDER.length - 1, EXPECTED_ORDER.length])(
    'pages of %i, walked to the end, give each event once, in order, across the ties',
    async (size) => {
      const walked: string[][] = [];
      let after: string | null = null;
      for (let n = 0; n < 20; n++) {
        const { page } = await chronology({ first: size, after });
        expect(page.edges.length).toBeLessThanOrEqual(size);
        walked.push(...order(page.edges));
        if (!page.pageInfo.hasNextPage) break;
        expect(page.edges).toHaveLength(size);
        after = page.pageInfo.endCursor;
      }
      expect(walked).toEqual(EXPECTED_ORDER);
    },
  );

  it('a page boundary inside the tie: the next page starts right after it', async () => {
    const first = await chronology({ first: EXPECTED_ORDER.length - 2 });
    // The boundary falls between the health contact and the police incident at the same moment.
    expect(order(first.page.edges).at(-1)).toEqual(['health', REF.contactTie]);
    const second = await chronology({ first: 10, after: first.page.pageInfo.endCursor });
    expect(order(second.page.edges)).toEqual(EXPECTED_ORDER.slice(-2));
  });

  it('filters by agency, by kind and by date range (inclusive)', async () => {
    const health = await chronology({ first: 100, agencies: ['health'] });
    expect(order(health.page.edges)).toEqual(EXPECTED_ORDER.filter(([a]) => a === 'health'));
    expect(health.page.withheld).toEqual([]);
    const missed = await chronology({ first: 100, kinds: ['MISSED_APPOINTMENT', 'ARREST'] });
    expect(order(missed.page.edges)).toEqual([
      ['health', REF.missed400],
      ['health', REF.missed100],
      ['health', REF.missed20],
      ['police', REF.arrestTie],
    ]);
    const range = await chronology({
      first: 100,
      from: at(100).toISOString(),
      to: TIE.toISOString(),
    });
    expect(order(range.page.edges)).toEqual(EXPECTED_ORDER.slice(3));
    const none = await chronology({ first: 100, from: at(5).toISOString() });
    expect(none.page).toMatchObject({ totalCount: 0, edges: [] });
  });

  it.each([
    ['after', { after: 'not-a-cursor' }],
    ['after', { after: Buffer.from('chronology:[1,2]').toString('base64url') }],
    ['after', { after: Buffer.from('changes:{}').toString('base64url') }],
    ['first', { first: 0 }],
    ['first', { first: 101 }],
    ['agencies', { agencies: ['ambulance'] }],
    ['to', { from: at(1).toISOString(), to: at(2).toISOString() }],
  ])('refuses a bad %s with BAD_USER_INPUT naming it', async (argument, variables) => {
    const { body } = await chronology(variables);
    const refusal = body.errors?.find((e) => e.extensions?.code === 'BAD_USER_INPUT');
    expect(refusal?.extensions?.argument).toBe(argument);
  });
});

describe('withheld events: counted with their rule, never on the wire', () => {
  let captured: { url: string; body: string }[];
  let fetchSpy: jest.SpyInstance;
  const realFetch = subgraphCalls.fetch;
  beforeEach(() => {
    captured = [];
    fetchSpy = jest.spyOn(subgraphCalls, 'fetch').mockImplementation(async (input, init) => {
      const response = await realFetch(input, init);
      const url = String(input);
      if (system.subgraphs.some((s) => url.startsWith(s.url)))
        captured.push({ url, body: await response.clone().text() });
      return response;
    });
  });
  afterEach(() => fetchSpy.mockRestore());
  const fromAgency = (name: string) =>
    captured
      .filter((c) => c.url.startsWith(system.subgraphs.find((s) => s.name === name)!.url))
      .map((c) => c.body)
      .join('\n');

  it('a manager for an agency check: crisis contacts counted, summaries beyond the tier or flagged withheld', async () => {
    const { body, page } = await chronology({ first: 100 });
    expect(page.withheld).toEqual([
      { agency: 'mental-health', code: 'NEED_TO_KNOW', rule: 'tier-allowed-for-purpose', count: 2 },
    ]);
    expect(page.agencies).toContainEqual({
      agency: 'mental-health',
      status: 'FOUND',
      reason: null,
    });
    expect(
      page.edges.some((e: { node: { agency: string } }) => e.node.agency === 'mental-health'),
    ).toBe(false);
    // A health contact: its clinical summary is special category; the service stands in, saying so.
    const contact = page.edges.find(
      (e: { node: { recordReference: string } }) => e.node.recordReference === REF.contactTie,
    ).node;
    expect(contact).toMatchObject({
      summary: 'Fixture service AE_ATTENDANCE',
      summaryTier: 'SUMMARY',
      summaryWithheld: { code: 'NEED_TO_KNOW', rule: 'tier-allowed-for-purpose' },
    });
    // The flagged incident: listed, its summary null with the custodian's rule at its path.
    const index = page.edges.findIndex(
      (e: { node: { recordReference: string } }) =>
        e.node.recordReference === REF.incidentFlagged60,
    );
    expect(page.edges[index].node).toMatchObject({
      summary: null,
      summaryWithheld: { code: 'CUSTODIAN_RELEASE_REQUIRED', rule: 'custodian-release' },
    });
    const subjectIndex = body.data.caseByReference.subjects.findIndex(
      (s: { id: string }) => s.id === subjectId,
    );
    expect(body.errors).toContainEqual(
      expect.objectContaining({
        path: [
          'caseByReference',
          'subjects',
          subjectIndex,
          'chronology',
          'edges',
          index,
          'node',
          'summary',
        ],
        extensions: expect.objectContaining({
          code: 'CUSTODIAN_RELEASE_REQUIRED',
          custodian: 'police',
        }),
      }),
    );
    // Not on the wire from the agencies, let alone to the client.
    expect(fromAgency('police')).toContain(`Fixture incident ${REF.incident40}.`);
    expect(fromAgency('police')).not.toContain(SECRET.flagged);
    expect(fromAgency('health')).toContain('Fixture service AE_ATTENDANCE');
    expect(fromAgency('health')).not.toContain(SECRET.clinical);
    expect(fromAgency('mental-health')).not.toContain(SECRET.crisis);
    expect(fromAgency('mental-health')).not.toContain(dateOnly(30));
    expect(JSON.stringify(body)).not.toMatch(/Fixture: /);
  });

  it('a strategy discussion may see the crisis contacts and clinical summaries: nothing withheld but the flag', async () => {
    // The purpose must be earned: a strategy discussion needs the case at child protection.
    await db('mash')
      .getRepository(Case)
      .update(
        { reference: caseReference(family.index) },
        { threshold: ThresholdOfNeed.CHILD_PROTECTION },
      );
    const { page } = await chronology(
      { first: 100 },
      await manager(family, Purpose.STRATEGY_DISCUSSION),
    );
    expect(page.withheld).toEqual([]);
    const crises = page.edges.filter(
      (e: { node: { agency: string } }) => e.node.agency === 'mental-health',
    );
    expect(crises.map((e: { node: { summary: string } }) => e.node.summary)).toEqual([
      SECRET.crisis,
      SECRET.crisis,
    ]);
    const node = (ref: string) =>
      page.edges.find((e: { node: { recordReference: string } }) => e.node.recordReference === ref)
        .node;
    expect(node(REF.contactTie)).toMatchObject({
      summary: SECRET.clinical,
      summaryTier: 'SPECIAL_CATEGORY',
      summaryWithheld: null,
    });
    expect(node(REF.incidentFlagged60)).toMatchObject({
      summary: null,
      summaryWithheld: { rule: 'custodian-release' },
    });
  });

  it("a police researcher: the police's own detail, health's headlines, mental health counted", async () => {
    const researcher = await requestHeaders(
      {
        userId: 'researcher.police.test',
        role: Role.AGENCY_RESEARCHER,
        agency: 'police',
        team: team(family),
      },
      Purpose.AGENCY_CHECK,
      caseReference(family.index),
    );
    const { page } = await chronology({ first: 100 }, researcher);
    const node = (ref: string) =>
      page.edges.find((e: { node: { recordReference: string } }) => e.node.recordReference === ref)
        .node;
    expect(node(REF.incident40)).toMatchObject({
      summary: `Fixture incident ${REF.incident40}.`,
      summaryTier: 'DETAIL',
    });
    expect(node(REF.missed20)).toMatchObject({
      summary: 'Fixture service MISSED_APPOINTMENT',
      summaryTier: 'SUMMARY',
    });
    expect(page.withheld).toEqual([
      { agency: 'mental-health', code: 'NEED_TO_KNOW', rule: expect.any(String), count: 2 },
    ]);
  });

  it('without consent or a ground: every agency WITHHELD with its rule, no count, and no agency read', async () => {
    const other = system.population.find(
      (f) =>
        f.referral?.consent === 'REFUSED' &&
        caseStatus(f.index) === CaseStatus.OPEN &&
        f.index !== family.index,
    );
    if (!other) throw new Error('No refused-consent household: change the seed.');
    const body = await ask(
      CHRONOLOGY,
      { ref: caseReference(other.index), first: 100 },
      await manager(other),
    );
    expect(body.data.caseByReference.subjects.length).toBeGreaterThan(0);
    for (const s of body.data.caseByReference.subjects) {
      expect(s.chronology.edges).toEqual([]);
      expect(s.chronology.withheld.length).toBeGreaterThan(0);
      expect(new Set(s.chronology.agencies.map((a: { status: string }) => a.status))).toEqual(
        new Set(['WITHHELD']),
      );
      for (const w of s.chronology.withheld)
        expect(w).toMatchObject({
          code: 'CONSENT_REQUIRED',
          rule: 'consent-or-recorded-ground',
          count: null,
        });
    }
    expect(fromAgency('police')).not.toMatch(/"occurredAt"/);
  });
});

describe('the cumulative picture', () => {
  it('matches a hand count of the fixture: windows, trends, first and last, withheld by rule', async () => {
    const body = await ask(
      `query ($ref: String!) { caseByReference(reference: $ref) { subjects { id cumulativePicture {
        counts { agency kind total first last windows { months count previous trend } }
        withheld { agency rule count } } } } }`,
      { ref: caseReference(family.index) },
      await manager(family),
    );
    const picture = body.data.caseByReference.subjects.find(
      (s: { id: string }) => s.id === subjectId,
    ).cumulativePicture;
    const count = (agency: string, kind: string) =>
      picture.counts.find(
        (c: { agency: string; kind: string }) => c.agency === agency && c.kind === kind,
      );
    // Incidents 10, 40, 60 (flagged: still counted, its summary alone is withheld), 200, 500 days ago.
    expect(count('police', 'DOMESTIC_ABUSE')).toEqual({
      agency: 'police',
      kind: 'DOMESTIC_ABUSE',
      total: 5,
      first: at(500).toISOString(),
      last: TIE.toISOString(),
      windows: [
        { months: 3, count: 3, previous: 0, trend: 'RISING' },
        { months: 12, count: 4, previous: 1, trend: 'RISING' },
        { months: 36, count: 5, previous: 0, trend: 'RISING' },
      ],
    });
    // Missed appointments 20, 100, 400 days ago.
    expect(count('health', 'MISSED_APPOINTMENT').windows).toEqual([
      { months: 3, count: 1, previous: 1, trend: 'STEADY' },
      { months: 12, count: 2, previous: 1, trend: 'RISING' },
      { months: 36, count: 3, previous: 0, trend: 'RISING' },
    ]);
    expect(count('police', 'ARREST').total).toBe(1);
    expect(count('health', 'AE_ATTENDANCE').total).toBe(1);
    expect(picture.counts).toHaveLength(4);
    // The crisis contacts: a count by rule, no kind, no window.
    expect(picture.withheld).toEqual([
      { agency: 'mental-health', rule: 'tier-allowed-for-purpose', count: 2 },
    ]);
  });
});

describe('the household', () => {
  it("is every subject's events, a record several subjects share once", async () => {
    const body = await ask(
      `query ($ref: String!) { caseByReference(reference: $ref) {
        chronology(first: 100) { totalCount edges { node { agency recordReference subjectIds } } }
        subjects { id chronology(first: 100) { edges { node { agency recordReference } } } } } }`,
      { ref: caseReference(family.index) },
      await manager(family),
    );
    const { chronology: household, subjects } = body.data.caseByReference;
    const bySubject = new Map<string, Set<string>>();
    for (const s of subjects)
      for (const e of s.chronology.edges) {
        const key = `${e.node.agency}|${e.node.recordReference}`;
        bySubject.set(key, (bySubject.get(key) ?? new Set()).add(s.id));
      }
    expect(household.totalCount).toBe(bySubject.size);
    for (const e of household.edges)
      expect(new Set(e.node.subjectIds)).toEqual(
        bySubject.get(`${e.node.agency}|${e.node.recordReference}`),
      );
  });

  it('is audited as reaching every subject whose events it carried, ids asked for or not', async () => {
    const { status, body } = await postGraphQL(
      system.gateway.url,
      `query ($ref: String!) { caseByReference(reference: $ref) {
        chronology(first: 100) { edges { node { agency kind } } agencies { status } } } }`,
      { ref: caseReference(family.index) },
      await manager(family),
    );
    expect(status).toBe(200);
    // Nothing the gateway adds for the audit reaches the client.
    expect(JSON.stringify(body)).not.toMatch(/_gateway/);
    const records = await db('audit')
      .getRepository(AuditRecord)
      .find({ order: { sequence: 'DESC' }, take: 1 });
    const subjects = await ask(
      'query ($ref: String!) { caseByReference(reference: $ref) { subjects { id } } }',
      { ref: caseReference(family.index) },
      await manager(family),
    );
    const household = subjects.data.caseByReference.subjects.map((s: { id: string }) => s.id);
    expect(household.length).toBeGreaterThan(1);
    expect([...records[0].subjectIds].sort()).toEqual([...household].sort());
  });
});

describe('the change feed', () => {
  const CHANGES = `query ($ref: String!, $since: String) { caseByReference(reference: $ref) { subjects { id
    chronologyChanges(since: $since) { cursor events { agency recordReference summary } } } } }`;
  async function changes(since: string | null) {
    const body = await ask(
      CHANGES,
      { ref: caseReference(family.index), since },
      await manager(family),
    );
    return body.data.caseByReference.subjects.find((s: { id: string }) => s.id === subjectId)
      .chronologyChanges as {
      cursor: string;
      events: { agency: string; recordReference: string }[];
    };
  }

  it('returns exactly what was added or changed since the cursor, and nothing when nothing was', async () => {
    const all = await changes(null);
    expect(new Set(all.events.map((e) => e.recordReference))).toEqual(
      new Set(EXPECTED_ORDER.map(([, ref]) => ref)),
    );
    expect((await changes(all.cursor)).events).toEqual([]);

    // One incident added, one contact corrected, at the same moment as each other or not.
    const policeId = (
      await db('police')
        .getRepository(PoliceInvolvement)
        .findOneByOrFail({ incident: { id: REF.incident40 } })
    ).personId;
    const added = 'a0000000-0000-4000-8000-000000000999';
    await db('police')
      .getRepository(PoliceIncident)
      .insert({
        id: added,
        occurredAt: at(1),
        type: IncidentType.MISSING_EPISODE,
        summary: 'Fixture: added.',
        domesticAbuseRisk: null,
        requiresCustodianRelease: false,
      });
    await db('police')
      .getRepository(PoliceInvolvement)
      .insert({
        personId: policeId,
        incident: { id: added } as PoliceIncident,
        role: InvolvementRole.MISSING_PERSON,
      });
    await db('health')
      .getRepository(HealthContact)
      .update({ id: REF.missed100 }, { service: 'Fixture: corrected' });

    const since = await changes(all.cursor);
    expect(since.events.map((e) => [e.agency, e.recordReference]).sort()).toEqual([
      ['health', REF.missed100],
      ['police', added],
    ]);
    expect((await changes(since.cursor)).events).toEqual([]);
    // The first cursor still answers the same question.
    expect((await changes(all.cursor)).events).toHaveLength(2);
  });

  it('refuses a cursor it did not give out, naming since', async () => {
    const body = await ask(
      CHANGES,
      { ref: caseReference(family.index), since: 'bogus' },
      await manager(family),
    );
    expect(body.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'since',
    });
  });
});

describe('who may ask', () => {
  it("a subject outside the caller's case is refused, and no agency is asked", async () => {
    const other = system.population.find(
      (f) => f.referral && caseStatus(f.index) === CaseStatus.OPEN && f.index !== family.index,
    )!;
    const spy = jest.spyOn(subgraphCalls, 'fetch');
    try {
      const body = await ask(
        CHRONOLOGY,
        { ref: caseReference(other.index), first: 5 },
        await manager(family),
      );
      expect(body.data?.caseByReference ?? null).toBeNull();
      expect(body.errors?.[0].extensions?.code).toBe('NOT_ASSIGNED');
      const asked = spy.mock.calls.map(([url]) => String(url));
      const police = system.subgraphs.find((s) => s.name === 'police')!.url;
      expect(asked.filter((u) => u.startsWith(police))).toEqual([]);
    } finally {
      spy.mockRestore();
    }
    // The case's own subjects, by a manager of another team: not theirs either.
    const otherTeam = await requestHeaders(
      {
        userId: 'manager.other',
        role: Role.MASH_MANAGER,
        team: MASH_TEAMS.find((t) => t !== team(family))!,
      },
      Purpose.AGENCY_CHECK,
      caseReference(family.index),
    );
    const { page, body } = await chronology({ first: 5 }, otherTeam);
    expect(page).toBeUndefined();
    expect(body.errors?.[0].extensions?.code).toBe('NOT_ASSIGNED');
  });
});

describe("the agencies' own events fields", () => {
  it('are hidden from clients: only the hub asks them, through the gateway', async () => {
    const body = await ask(
      'query ($ref: String!) { caseByReference(reference: $ref) { subjects { policeEvents { agency events { summary } } } } }',
      { ref: caseReference(family.index) },
      await manager(family),
    );
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('a dead agency', () => {
  it('shows as UNAVAILABLE, and the other agencies still arrive', async () => {
    await system.subgraphs.find((s) => s.name === 'health')!.stop();
    const { page } = await chronology({ first: 100 });
    expect(page.agencies).toContainEqual(
      expect.objectContaining({ agency: 'health', status: 'UNAVAILABLE' }),
    );
    expect(order(page.edges).filter(([a]) => a === 'health')).toEqual([]);
    expect(order(page.edges).filter(([a]) => a === 'police').length).toBeGreaterThanOrEqual(6);
  });
});
