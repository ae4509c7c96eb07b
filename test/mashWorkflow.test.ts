import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { startTestSystem } from './testSystem';
import { Purpose, Role } from '../policies/roles';
import { caseStatus, earlierReferral, HUB_AGENCIES, MASH_TEAMS } from '../subgraphs/mash/data';
import { CaseStatus } from '../subgraphs/mash/entities/case';
import { checksDueAt, decisionDueAt } from '../workflow/timeliness';
import { postGraphQL, requestHeaders } from './graphqlClient';

let system: EmbeddedSystem;
beforeAll(async () => {
  system = await startTestSystem({ port: 0, seed: 11, families: 40, subgraphTimeoutMs: 2000 });
});
afterAll(() => system?.stop());

const call = async (
  text: string,
  variables: Record<string, unknown>,
  headers: Promise<Record<string, string>>,
) => (await postGraphQL(system.gateway.url, text, variables, await headers)).body;

const referrer = (userId = 'teacher.synthetic-primary') =>
  requestHeaders({ userId, role: Role.REFERRER }, null, null);
const manager = (team: string, caseReference: string | null) =>
  requestHeaders(
    { userId: `manager.${team}`, role: Role.MASH_MANAGER, team },
    Purpose.AGENCY_CHECK,
    caseReference,
  );
const researcher = (agency: string, team: string, caseReference: string | null) =>
  requestHeaders(
    { userId: `researcher.${agency}`, role: Role.AGENCY_RESEARCHER, agency, team },
    Purpose.AGENCY_CHECK,
    caseReference,
  );

// Synthetic people only: the NHS number is in the never-issued 999 range.
const REFERRAL = {
  referrerType: 'SCHOOL',
  referrerName: 'A Teacher',
  referrerOrganisation: 'Synthetic Primary School',
  referrerContact: 'dsl@synthetic-primary.example',
  concerns: 'Child arrived with bruising to the arm and said they were scared to go home.',
  immediateRisk: false,
  consentSought: true,
  consentGiven: true,
  consentNotes: 'Mother agreed on the phone.',
  subjects: [
    {
      roleInHousehold: 'CHILD',
      givenName: 'Ada',
      familyName: 'Examplechild',
      dateOfBirth: '2018-03-04',
      postcode: 'SW19 1AA',
      nhsNumber: '9990000018',
    },
    {
      roleInHousehold: 'PARENT',
      givenName: 'Bea',
      familyName: 'Examplechild',
      dateOfBirth: '1990-05-06',
    },
  ],
};

const SUBMIT = `mutation ($referral: ReferralInput!) {
  submitReferral(referral: $referral) { referralId caseReference receivedAt stage decisionDueAt outcome }
}`;
const MY_REFERRALS = '{ myReferrals { referralId caseReference stage outcome decidedAt } }';
const TRIAGE = `mutation ($case: String!) {
  triageReferral(caseReference: $case, rag: AMBER, threshold: COMPLEX, reason: "Injury disclosed by a child of eight; no immediate danger today.") {
    reference triage { rag threshold level triagedAt checksDueAt } agencyChecks { agency dueAt completedAt }
  }
}`;
const RECORD_CHECK = `mutation ($case: String!) {
  recordAgencyCheck(caseReference: $case, finding: {
    summary: "Known to this agency; relevant history shared in proportion to the worry.",
    worries: "Previous similar injury", workingWell: "Attends regularly", needsToHappen: "Assessment",
    riskView: AMBER }) { agency completedAt completedBy }
}`;
const DECIDE = `mutation ($case: String!) {
  recordDecision(caseReference: $case, outcome: CHILD_AND_FAMILY_ASSESSMENT, ragAfterChecks: RED,
    rationale: "Police and health hold earlier injuries; the picture needs a full assessment.") {
    outcome ragAfterChecks decidedBy decidedAt withinDeadline checksOutstanding
  }
}`;

describe('a referral from the single point of entry to the decision', () => {
  let reference: string;
  let team: string;

  it('takes the referral and tells the referrer when the decision is due', async () => {
    const before = Date.now();
    const body = await call(SUBMIT, { referral: REFERRAL }, referrer());
    expect(body.errors).toBeUndefined();
    const status = body.data.submitReferral;
    expect(status).toMatchObject({ stage: 'RECEIVED', outcome: null });
    expect(status.caseReference).toMatch(/^MASH-\d{4}-\d{6}$/);
    const received = new Date(status.receivedAt);
    expect(received.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(status.decisionDueAt).toBe(decisionDueAt(received).toISOString());
    reference = status.caseReference;
  });

  it('allocates the new case to exactly one MASH team', async () => {
    const reads = await Promise.all(
      MASH_TEAMS.map((t) =>
        call(
          'query ($r: String!) { caseByReference(reference: $r) { status } }',
          { r: reference },
          manager(t, reference),
        ),
      ),
    );
    const assigned = MASH_TEAMS.filter((_, i) => reads[i].data?.caseByReference?.status === 'OPEN');
    expect(assigned).toHaveLength(1);
    team = assigned[0];
  });

  it('lets no one but a MASH manager triage, and sets every agency check deadline from the RAG', async () => {
    const refused = await call(TRIAGE, { case: reference }, researcher('police', team, reference));
    expect(refused.errors![0].extensions).toMatchObject({
      code: 'NOT_PERMITTED',
      rule: 'has-role',
    });

    const body = await call(TRIAGE, { case: reference }, manager(team, reference));
    expect(body.errors).toBeUndefined();
    const { triage, agencyChecks } = body.data.triageReferral;
    expect(triage).toMatchObject({ rag: 'AMBER', threshold: 'COMPLEX', level: 3 });
    expect(triage.checksDueAt).toBe(checksDueAt(new Date(triage.triagedAt), 'AMBER').toISOString());
    expect(agencyChecks.map((c: { agency: string }) => c.agency)).toEqual(HUB_AGENCIES);
    expect(
      agencyChecks.every(
        (c: { dueAt: string; completedAt: null }) =>
          c.dueAt === triage.checksDueAt && c.completedAt === null,
      ),
    ).toBe(true);

    const again = await call(TRIAGE, { case: reference }, manager(team, reference));
    expect(again.errors![0].extensions!.code).toBe('CONFLICT');
  });

  it('shows the referrer that checks are under way, and nothing of them', async () => {
    const body = await call(MY_REFERRALS, {}, referrer());
    expect(body.data.myReferrals).toEqual([
      expect.objectContaining({
        caseReference: reference,
        stage: 'CHECKS_UNDER_WAY',
        outcome: null,
      }),
    ]);
    const peek = await call(
      'query ($r: String!) { caseByReference(reference: $r) { agencyChecks { summary } } }',
      { r: reference },
      requestHeaders(
        { userId: 'teacher.synthetic-primary', role: Role.REFERRER },
        Purpose.AGENCY_CHECK,
        reference,
      ),
    );
    expect(peek.data?.caseByReference ?? null).toBeNull();
    expect(peek.errors![0].extensions).toMatchObject({ code: 'WRONG_PURPOSE' });
  });

  it("records each agency's check once, by that agency's own researcher", async () => {
    for (const agency of HUB_AGENCIES) {
      const body = await call(
        RECORD_CHECK,
        { case: reference },
        researcher(agency, team, reference),
      );
      expect(body.errors).toBeUndefined();
      expect(body.data.recordAgencyCheck).toMatchObject({
        agency,
        completedBy: `researcher.${agency}`,
      });
    }
    const twice = await call(
      RECORD_CHECK,
      { case: reference },
      researcher('police', team, reference),
    );
    expect(twice.errors![0].extensions!.code).toBe('CONFLICT');
    const otherTeam = MASH_TEAMS.find((t) => t !== team)!;
    const outsider = await call(
      RECORD_CHECK,
      { case: reference },
      researcher('health', otherTeam, reference),
    );
    expect(outsider.errors![0].extensions).toMatchObject({ code: 'NOT_ASSIGNED' });
  });

  it('gives the manager the combined picture of the checks', async () => {
    const body = await call(
      'query ($r: String!) { caseByReference(reference: $r) { agencyChecks { agency summary worries workingWell needsToHappen riskView } } }',
      { r: reference },
      manager(team, reference),
    );
    expect(body.errors).toBeUndefined();
    const checks = body.data.caseByReference.agencyChecks;
    expect(checks).toHaveLength(HUB_AGENCIES.length);
    expect(
      checks.every(
        (c: { worries: string; riskView: string }) =>
          c.worries === 'Previous similar injury' && c.riskView === 'AMBER',
      ),
    ).toBe(true);
  });

  it('records the decision against the one-working-day deadline and closes the MASH stage', async () => {
    const refused = await call(DECIDE, { case: reference }, referrer());
    expect(refused.errors![0].extensions).toMatchObject({ code: 'NOT_PERMITTED' });

    const body = await call(DECIDE, { case: reference }, manager(team, reference));
    expect(body.errors).toBeUndefined();
    const decision = body.data.recordDecision;
    expect(decision).toMatchObject({
      outcome: 'CHILD_AND_FAMILY_ASSESSMENT',
      ragAfterChecks: 'RED',
      decidedBy: `manager.${team}`,
      checksOutstanding: [],
    });
    const submitted = (await call(MY_REFERRALS, {}, referrer())).data.myReferrals[0];
    expect(submitted.decidedAt).toBe(decision.decidedAt);

    const again = await call(DECIDE, { case: reference }, manager(team, reference));
    expect(again.errors![0].extensions).toMatchObject({ code: 'CASE_CLOSED' });
  });

  it('tells the referrer the outcome, and another referrer nothing', async () => {
    const own = await call(MY_REFERRALS, {}, referrer());
    expect(own.data.myReferrals).toEqual([
      expect.objectContaining({
        caseReference: reference,
        stage: 'DECIDED',
        outcome: 'CHILD_AND_FAMILY_ASSESSMENT',
      }),
    ]);
    const other = await call(MY_REFERRALS, {}, referrer('health-visitor.other'));
    expect(other.data.myReferrals).toEqual([]);
  });

  it('audits every step, mutations as well as reads', async () => {
    const body = await call(
      'query ($r: String!) { auditTrail(caseReference: $r, first: 50) { entries { agentUserId outcome granted } } }',
      { r: reference },
      requestHeaders({ userId: 'ig.test', role: Role.IG_OFFICER }, Purpose.AUDIT, null),
    );
    const granted = body.data.auditTrail.entries.flatMap((e: { granted: string[] }) => e.granted);
    for (const step of ['triageReferral', 'recordAgencyCheck', 'recordDecision'])
      expect(granted).toContain(`shared:Mutation.${step}`);
    const refusals = body.data.auditTrail.entries.filter(
      (e: { outcome: string }) => e.outcome !== 'GRANTED',
    );
    expect(refusals.length).toBeGreaterThanOrEqual(3);
  });
});

describe('referral intake refuses bad input whole', () => {
  const countCases = async () =>
    (await call('{ cases(first: 1) { totalCount } }', {}, manager(MASH_TEAMS[0], null))).data.cases
      .totalCount;

  it('names every problem and saves nothing', async () => {
    const before = await countCases();
    const bad = {
      ...REFERRAL,
      concerns: '',
      subjects: [{ ...REFERRAL.subjects[1], dateOfBirth: '2099-01-01' }],
    };
    const body = await call(SUBMIT, { referral: bad }, referrer('bad.input'));
    expect(body.data?.submitReferral ?? null).toBeNull();
    expect(body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(
      (body.errors![0].extensions!.problems as { field: string }[]).map((p) => p.field),
    ).toEqual(['concerns', 'subjects', 'subjects[0].dateOfBirth']);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
    expect(await countCases()).toBe(before);
    expect((await call(MY_REFERRALS, {}, referrer('bad.input'))).data.myReferrals).toEqual([]);
  });

  it('rejects an unknown referrer type with a coded error', async () => {
    const body = await call(
      SUBMIT,
      { referral: { ...REFERRAL, referrerType: 'ASTROLOGER' } },
      referrer(),
    );
    expect(body.errors![0].extensions!.code).toEqual(
      expect.stringMatching(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/),
    );
  });

  it('refuses intake to roles that do not refer', async () => {
    const body = await call(
      SUBMIT,
      { referral: REFERRAL },
      requestHeaders({ userId: 'ig.test', role: Role.IG_OFFICER }, Purpose.AUDIT, null),
    );
    expect(body.errors![0].extensions).toMatchObject({ code: 'NOT_PERMITTED', rule: 'has-role' });
  });
});

describe('overdue checks and performance measures over the seeded hub', () => {
  it("lists a researcher's own agency's overdue checks, most overdue first", async () => {
    const all = await call('{ overdueAgencyChecks { agency } }', {}, manager(MASH_TEAMS[0], null));
    const agencies: string[] = all.data.overdueAgencyChecks.map(
      (o: { agency: string }) => o.agency,
    );
    expect(new Set(agencies).size).toBeGreaterThan(1);
    // An agency with checks overdue for the team: its researcher sees exactly those, and no other's.
    const agency = agencies[0];
    const body = await call(
      '{ overdueAgencyChecks { caseReference agency dueAt minutesOverdue } }',
      {},
      researcher(agency, MASH_TEAMS[0], null),
    );
    const overdue = body.data.overdueAgencyChecks;
    expect(overdue).toHaveLength(agencies.filter((a) => a === agency).length);
    expect(
      overdue.every(
        (o: { agency: string; minutesOverdue: number }) =>
          o.agency === agency && o.minutesOverdue > 0,
      ),
    ).toBe(true);
    const due = overdue.map((o: { dueAt: string }) => o.dueAt);
    expect([...due].sort()).toEqual(due);
  });

  it('measures the seeded period: every referral received in it, by source and decision', async () => {
    const from = new Date('2025-09-01T00:00:00Z');
    const to = new Date('2026-10-02T00:00:00Z');
    const body = await call(
      `query ($from: DateTimeISO!, $to: DateTimeISO!) { mashPerformance(from: $from, to: $to) {
        referrals bySource { key count } decisions { decided decidedOnTime decidedLate undecided medianHoursToDecision }
        checksByAgency { agency requested completedOnTime completedLate outstanding overdue }
        outcomesBySource { source outcome count } ragChanges { from to count } repeatReferrals scheme } }`,
      { from, to },
      manager(MASH_TEAMS[0], null),
    );
    expect(body.errors).toBeUndefined();
    const measures = body.data.mashPerformance;

    // An independent count from the synthetic population.
    const inPeriod = (d: Date) => d >= from && d < to;
    const current = system.population.filter((f) => f.referral && inPeriod(f.referral.receivedAt));
    const earlier = system.population
      .map(earlierReferral)
      .filter((e) => e && inPeriod(e.receivedAt));
    const decided =
      current.filter((f) => caseStatus(f.index) === CaseStatus.CLOSED && f.referral!.rag).length +
      earlier.length;

    expect(measures.referrals).toBe(current.length + earlier.length);
    expect(measures.bySource.reduce((n: number, s: { count: number }) => n + s.count, 0)).toBe(
      measures.referrals,
    );
    expect(measures.decisions.decided).toBe(decided);
    expect(measures.decisions.decidedOnTime + measures.decisions.decidedLate).toBe(decided);
    expect(
      measures.outcomesBySource.reduce((n: number, o: { count: number }) => n + o.count, 0),
    ).toBe(decided);
    for (const agency of measures.checksByAgency) {
      expect(agency.completedOnTime + agency.completedLate + agency.outstanding).toBe(
        agency.requested,
      );
    }
    expect(measures.checksByAgency.map((a: { agency: string }) => a.agency)).toEqual(HUB_AGENCIES);
    expect(measures.repeatReferrals).toBeGreaterThan(0);
    expect(measures.scheme).toMatch(/Merton/);
  });

  it('is for managers only, and refuses a period that ends before it starts', async () => {
    const text =
      '{ mashPerformance(from: "2026-10-01T00:00:00Z", to: "2026-09-01T00:00:00Z") { referrals } }';
    const researcherAsks = await call(text, {}, researcher('police', MASH_TEAMS[0], null));
    expect(researcherAsks.errors![0].extensions).toMatchObject({ code: 'NOT_PERMITTED' });
    const backwards = await call(text, {}, manager(MASH_TEAMS[0], null));
    expect(backwards.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});
