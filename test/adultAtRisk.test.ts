import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { Purpose, Role } from '../policies/roles';
import { MASH_TEAMS } from '../subgraphs/mash/data';
import { postGraphQL, requestHeaders } from './graphqlClient';
import { startTestSystem } from './testSystem';

/**
 * A referral about an adult at risk, from intake to decision through the gateway: no child in it,
 * the adult's capacity and own consent recorded, a ground applied where they refuse, the agencies'
 * checks, an adult safeguarding outcome, and the measures counting it apart from the children.
 */
let system: EmbeddedSystem;
beforeAll(async () => {
  system = await startTestSystem({ port: 0, seed: 23, families: 20, subgraphTimeoutMs: 2000 });
});
afterAll(() => system?.stop());

const TEAM = MASH_TEAMS[1];
const OTHER_TEAM = MASH_TEAMS[0];
const call = async (
  text: string,
  variables: Record<string, unknown>,
  headers: Promise<Record<string, string>>,
) => (await postGraphQL(system.gateway.url, text, variables, await headers)).body;
const manager = (caseReference: string | null, team = TEAM) =>
  requestHeaders(
    { userId: `manager.${team}`, role: Role.MASH_MANAGER, team },
    Purpose.AGENCY_CHECK,
    caseReference,
  );
const researcher = (agency: string, caseReference: string) =>
  requestHeaders(
    { userId: `researcher.${agency}`, role: Role.AGENCY_RESEARCHER, agency, team: TEAM },
    Purpose.AGENCY_CHECK,
    caseReference,
  );

// Synthetic people only: the NHS number is in the never-issued 999 range.
const ADULT_REFERRAL = {
  about: 'ADULT_AT_RISK',
  referrerType: 'HEALTH',
  referrerName: 'A District Nurse',
  referrerOrganisation: 'Synthetic Community Health',
  referrerContact: 'nurse@synthetic-health.example',
  concerns: 'Unexplained bruising on both arms; says her son takes her pension and shouts at her.',
  immediateRisk: false,
  consentSought: false,
  consentNotes: 'Not yet asked: she was not alone during the visit.',
  familyInformed: {
    told: false,
    notToldReason: 'The son is the person alleged to cause harm; telling him would raise the risk.',
    notToldDecidedBy: 'A District Nurse',
  },
  subjects: [
    {
      roleInHousehold: 'ADULT_AT_RISK',
      givenName: 'Edna',
      familyName: 'Exampleadult',
      dateOfBirth: '1941-02-03',
      postcode: 'SW19 2BB',
      nhsNumber: '9990000026',
    },
    {
      roleInHousehold: 'OTHER_ADULT',
      givenName: 'Fred',
      familyName: 'Exampleadult',
      dateOfBirth: '1970-07-08',
    },
  ],
};

const SUBMIT = `mutation ($referral: ReferralInput!) {
  submitReferral(referral: $referral) { caseReference stage }
}`;
const CASE = `query ($r: String!) {
  caseByReference(reference: $r) {
    referral { about earlyHelpAssessment { dueAt } }
    subjects { id roleInHousehold adultSocialCare { status } }
    consent { state grounds { ground authorisedBy } capacityAssessments { subjectId hasCapacity assessedBy assessedAt } }
    triage { rag threshold level }
    decision { outcome }
  }
}`;
const CAPACITY = `mutation ($r: String!, $subject: ID!, $has: Boolean!) {
  recordMentalCapacity(caseReference: $r, subjectId: $subject, hasCapacity: $has,
    assessedBy: "A Social Worker (adult social care)", assessedAt: "2026-11-01T10:00:00Z",
    notes: "Understood, retained and weighed the information; told us her decision.") {
    hasCapacity assessedBy recordedBy
  }
}`;
const CONSENT = `mutation ($r: String!, $state: ConsentState!) {
  recordConsent(caseReference: $r, state: $state, notes: "Asked alone at home; she said no to sharing.") { state }
}`;
const GROUND = `mutation ($r: String!, $ground: SharingGround!) {
  recordSharingGround(caseReference: $r, ground: $ground,
    reason: "Financial abuse and injuries: she will be placed at risk of serious harm without enquiries.") { ground authorisedBy }
}`;
const DECIDE = `mutation ($r: String!, $outcome: MashOutcome!) {
  recordDecision(caseReference: $r, outcome: $outcome, ragAfterChecks: RED,
    rationale: "Care and support needs, abuse alleged, unable to protect herself: the duty is met.") { outcome }
}`;

const problemFields = (body: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  (body.errors?.[0].extensions?.problems as { field: string }[]).map((p) => p.field);
const badInputAt = (
  body: { errors?: { extensions?: Record<string, unknown> }[] },
  argument: string,
) => {
  expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
};

describe('an adult at risk from intake to decision', () => {
  let reference: string;
  let adultId: string;
  let otherAdultId: string;
  const startedAt = new Date(Date.now() - 1000);

  it('refuses what it must at intake, for adults and for children alike', async () => {
    const noAdult = await call(
      SUBMIT,
      { referral: { ...ADULT_REFERRAL, subjects: [ADULT_REFERRAL.subjects[1]] } },
      manager(null),
    );
    expect(problemFields(noAdult)).toEqual(['subjects']);
    // The same people referred as about a child: still refused, no child named.
    const asChild = await call(
      SUBMIT,
      { referral: { ...ADULT_REFERRAL, about: 'CHILD' } },
      manager(null),
    );
    expect(asChild.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(asChild.errors![0].extensions!.problems).toEqual([
      { field: 'subjects', message: 'A referral to the MASH must name the child it is about.' },
    ]);
    // An adult referral that names a child is one about the child.
    const withChild = await call(
      SUBMIT,
      {
        referral: {
          ...ADULT_REFERRAL,
          subjects: [
            ...ADULT_REFERRAL.subjects,
            {
              roleInHousehold: 'SIBLING',
              givenName: 'Gus',
              familyName: 'Exampleadult',
              dateOfBirth: '2015-01-01',
            },
          ],
        },
      },
      manager(null),
    );
    expect(problemFields(withChild)).toEqual(['about']);
  });

  it('takes a referral about an adult with no child in it', async () => {
    const body = await call(SUBMIT, { referral: ADULT_REFERRAL }, manager(null));
    expect(body.errors).toBeUndefined();
    reference = body.data.submitReferral.caseReference;
    const read = await call(CASE, { r: reference }, manager(reference));
    // Consent not sought and no ground: each agency's check is withheld, and says why.
    expect(read.errors!.map((e) => e.extensions!.code)).toEqual([
      'CONSENT_REQUIRED',
      'CONSENT_REQUIRED',
    ]);
    const c = read.data.caseByReference;
    // No Early Help Assessment for an adult, no deadline for one.
    expect(c.referral).toEqual({ about: 'ADULT_AT_RISK', earlyHelpAssessment: null });
    adultId = c.subjects.find(
      (s: { roleInHousehold: string }) => s.roleInHousehold === 'ADULT_AT_RISK',
    ).id;
    otherAdultId = c.subjects.find(
      (s: { roleInHousehold: string }) => s.roleInHousehold === 'OTHER_ADULT',
    ).id;
    expect(
      c.subjects.map((s: { adultSocialCare: { status: string } }) => s.adultSocialCare.status),
    ).toEqual(['WITHHELD', 'WITHHELD']);
  });

  it('triages an adult by urgency alone: no threshold on the children’s continuum', async () => {
    const withThreshold = await call(
      `mutation ($r: String!) { triageReferral(caseReference: $r, rag: AMBER, threshold: COMPLEX, reason: "Injuries and financial abuse alleged.") { reference } }`,
      { r: reference },
      manager(reference),
    );
    badInputAt(withThreshold, 'threshold');
    const body = await call(
      `mutation ($r: String!) { triageReferral(caseReference: $r, rag: AMBER, reason: "Injuries and financial abuse alleged.") {
        triage { rag threshold level } agencyChecks { agency } } }`,
      { r: reference },
      manager(reference),
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.triageReferral.triage).toEqual({ rag: 'AMBER', threshold: null, level: null });
    expect(
      body.data.triageReferral.agencyChecks.map((c: { agency: string }) => c.agency),
    ).toContain('adult-social-care');
  });

  it("records the adult's own consent only once her capacity is recorded", async () => {
    badInputAt(
      await call(CONSENT, { r: reference, state: 'REFUSED' }, manager(reference)),
      'state',
    );
    // Capacity is the adult at risk's, not another adult's in the household.
    badInputAt(
      await call(CAPACITY, { r: reference, subject: otherAdultId, has: true }, manager(reference)),
      'subjectId',
    );
    // Only a manager working on the case records it.
    const byResearcher = await call(
      CAPACITY,
      { r: reference, subject: adultId, has: true },
      researcher('adult-social-care', reference),
    );
    expect(byResearcher.errors![0].extensions).toMatchObject({
      code: 'NOT_PERMITTED',
      rule: 'has-role',
    });
    const byOtherTeam = await call(
      CAPACITY,
      { r: reference, subject: adultId, has: true },
      manager(reference, OTHER_TEAM),
    );
    expect(byOtherTeam.data?.recordMentalCapacity ?? null).toBeNull();
    expect(byOtherTeam.errors![0].extensions!.code).toBe('NOT_ASSIGNED');

    const capacity = await call(
      CAPACITY,
      { r: reference, subject: adultId, has: true },
      manager(reference),
    );
    expect(capacity.errors).toBeUndefined();
    expect(capacity.data.recordMentalCapacity).toEqual({
      hasCapacity: true,
      assessedBy: 'A Social Worker (adult social care)',
      recordedBy: `manager.${TEAM}`,
    });
    const refused = await call(CONSENT, { r: reference, state: 'REFUSED' }, manager(reference));
    expect(refused.errors).toBeUndefined();
    expect(refused.data.recordConsent.state).toBe('REFUSED');
  });

  it('applies a ground where she refuses: serious harm to an adult, not a child’s', async () => {
    badInputAt(
      await call(GROUND, { r: reference, ground: 'SIGNIFICANT_HARM_TO_CHILD' }, manager(reference)),
      'ground',
    );
    // Refused and no ground yet: still nothing shared.
    const before = await call(CASE, { r: reference }, manager(reference));
    expect(before.data.caseByReference.subjects[0].adultSocialCare.status).toBe('WITHHELD');

    const ground = await call(
      GROUND,
      { r: reference, ground: 'SERIOUS_HARM_TO_ADULT' },
      manager(reference),
    );
    expect(ground.errors).toBeUndefined();
    const after = await call(CASE, { r: reference }, manager(reference));
    const c = after.data.caseByReference;
    expect(c.consent.state).toBe('REFUSED');
    expect(c.consent.grounds).toEqual([
      { ground: 'SERIOUS_HARM_TO_ADULT', authorisedBy: `manager.${TEAM}` },
    ]);
    expect(c.consent.capacityAssessments).toEqual([
      {
        subjectId: adultId,
        hasCapacity: true,
        assessedBy: 'A Social Worker (adult social care)',
        assessedAt: '2026-11-01T10:00:00.000Z',
      },
    ]);
    // The ground releases the agencies' checks.
    expect(
      c.subjects.every(
        (s: { adultSocialCare: { status: string } }) => s.adultSocialCare.status !== 'WITHHELD',
      ),
    ).toBe(true);
  });

  it("takes adult social care's check and decides an adult safeguarding outcome", async () => {
    const check = await call(
      `mutation ($r: String!) { recordAgencyCheck(caseReference: $r, finding: {
        summary: "Known for a care package; a carer raised money worries last spring.",
        worries: "Money taken, bruising", workingWell: "Daily carer visits", needsToHappen: "Section 42 enquiry",
        riskView: RED }) { agency completedBy } }`,
      { r: reference },
      researcher('adult-social-care', reference),
    );
    expect(check.errors).toBeUndefined();
    expect(check.data.recordAgencyCheck.agency).toBe('adult-social-care');

    badInputAt(
      await call(DECIDE, { r: reference, outcome: 'STRATEGY_DISCUSSION' }, manager(reference)),
      'outcome',
    );
    badInputAt(
      await call(
        DECIDE,
        { r: reference, outcome: 'CHILD_AND_FAMILY_ASSESSMENT' },
        manager(reference),
      ),
      'outcome',
    );
    const decided = await call(
      DECIDE,
      { r: reference, outcome: 'SECTION_42_ENQUIRY' },
      manager(reference),
    );
    expect(decided.errors).toBeUndefined();
    expect(decided.data.recordDecision.outcome).toBe('SECTION_42_ENQUIRY');
  });

  it('refuses an adult outcome for a child', async () => {
    const child = await call(
      SUBMIT,
      {
        referral: {
          ...ADULT_REFERRAL,
          about: 'CHILD',
          concerns: 'Child says grandmother is hit at home and is frightened.',
          subjects: [
            {
              roleInHousehold: 'CHILD',
              givenName: 'Hal',
              familyName: 'Examplechild',
              dateOfBirth: '2016-04-05',
            },
          ],
        },
      },
      manager(null),
    );
    const childReference = child.data.submitReferral.caseReference;
    // A child's triage still needs its threshold.
    badInputAt(
      await call(
        `mutation ($r: String!) { triageReferral(caseReference: $r, rag: GREEN, reason: "Worry about the household, no harm to the child.") { reference } }`,
        { r: childReference },
        manager(childReference),
      ),
      'threshold',
    );
    const triaged = await call(
      `mutation ($r: String!) { triageReferral(caseReference: $r, rag: GREEN, threshold: UNIVERSAL, reason: "Worry about the household, no harm to the child.") { reference } }`,
      { r: childReference },
      manager(childReference),
    );
    expect(triaged.errors).toBeUndefined();
    badInputAt(
      await call(
        DECIDE,
        { r: childReference, outcome: 'SECTION_42_ENQUIRY' },
        manager(childReference),
      ),
      'outcome',
    );
  });

  it('counts the adult case apart from the children in the measures', async () => {
    const body = await call(
      `query ($from: DateTimeISO!, $to: DateTimeISO!) { mashPerformance(from: $from, to: $to) {
        referrals referralsAbout { key count } decidedAbout { key count }
        outcomesBySource { source outcome count } } }`,
      { from: startedAt.toISOString(), to: new Date(Date.now() + 1000).toISOString() },
      manager(null),
    );
    expect(body.errors).toBeUndefined();
    const m = body.data.mashPerformance;
    // This file's referrals: one adult, one child; only the adult decided.
    expect(m.referralsAbout).toEqual([
      { key: 'ADULT_AT_RISK', count: 1 },
      { key: 'CHILD', count: 1 },
    ]);
    expect(m.decidedAbout).toEqual([{ key: 'ADULT_AT_RISK', count: 1 }]);
    expect(m.outcomesBySource).toEqual([
      { source: 'HEALTH', outcome: 'SECTION_42_ENQUIRY', count: 1 },
    ]);
  });
});
