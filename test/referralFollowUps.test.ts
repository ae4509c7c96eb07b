import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { Purpose, Role } from '../policies/roles';
import { MASH_TEAMS, TIMELINESS } from '../subgraphs/mash/data';
import { Case } from '../subgraphs/mash/entities/case';
import { Referral } from '../subgraphs/mash/entities/referral';
import { earlyHelpAssessmentDueAt } from '../workflow/timeliness';
import { postGraphQL, requestHeaders } from './graphqlClient';
import { startTestSystem } from './testSystem';

/**
 * What a referral owes after intake, through the gateway: a child-protection referral's Early Help
 * Assessment within 48 hours on the MASH clock, and the family told, or why not.
 */
let system: EmbeddedSystem;
beforeAll(async () => {
  system = await startTestSystem({ port: 0, seed: 29, families: 20, subgraphTimeoutMs: 2000 });
});
afterAll(() => system?.stop());

const TEAM = MASH_TEAMS[1];
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
const ig = () =>
  requestHeaders({ userId: 'ig.follow-ups', role: Role.IG_OFFICER }, Purpose.AUDIT, null);
const hub = () => system.subgraphs.find((s) => s.name === 'mash')!.database.dataSource;

// Synthetic people only.
const CHILD_REFERRAL = {
  referrerType: 'SCHOOL',
  referrerName: 'A Teacher',
  referrerOrganisation: 'Synthetic Primary School',
  referrerContact: 'dsl@synthetic-primary.example',
  concerns: 'Child disclosed being hit with a belt last night; marks seen on the legs.',
  immediateRisk: true,
  consentSought: false,
  consentNotes: 'Not sought: seeking it could put the child at further risk.',
  subjects: [
    {
      roleInHousehold: 'CHILD',
      givenName: 'Jo',
      familyName: 'Examplefollow',
      dateOfBirth: '2017-09-10',
    },
    {
      roleInHousehold: 'PARENT',
      givenName: 'Kit',
      familyName: 'Examplefollow',
      dateOfBirth: '1988-01-02',
    },
  ],
};
const SUBMIT = `mutation ($referral: ReferralInput!) { submitReferral(referral: $referral) { caseReference receivedAt } }`;
const CASE = `query ($r: String!) { caseByReference(reference: $r) {
  referral { receivedAt earlyHelpAssessment { reference summary suppliedAt dueAt overdue } }
  familyInformed { told toldBy toldAt notToldReason notToldDecidedBy recordedBy needsAttention }
} }`;
const FOLLOW_UPS = '{ overdueFollowUps { caseReference kind receivedAt dueAt minutesOverdue } }';
const NOT_TOLD = {
  told: false,
  notToldReason:
    'The father is the alleged abuser; telling the family would increase the risk to the child.',
  notToldDecidedBy: 'A Teacher (designated safeguarding lead)',
};

const submit = async (referral: Record<string, unknown>) => {
  const body = await call(SUBMIT, { referral }, manager(null));
  expect(body.errors).toBeUndefined();
  return body.data.submitReferral as { caseReference: string; receivedAt: string };
};
const followUpsOf = async (reference: string) =>
  (
    (await call(FOLLOW_UPS, {}, manager(null))).data.overdueFollowUps as {
      caseReference: string;
      kind: string;
      dueAt: string | null;
      minutesOverdue: number;
    }[]
  ).filter((f) => f.caseReference === reference);

/** Time passes: the referral was received at `receivedAt`, its deadline set as intake sets it. */
async function receivedEarlier(reference: string, receivedAt: Date): Promise<Date> {
  const found = await hub().getRepository(Case).findOneByOrFail({ reference });
  const dueAt = earlyHelpAssessmentDueAt(receivedAt, TIMELINESS);
  await hub()
    .getRepository(Referral)
    .update({ id: found.referralId }, { receivedAt, earlyHelpAssessmentDueAt: dueAt });
  return dueAt;
}

describe('a child-protection referral without its Early Help Assessment', () => {
  let reference: string;
  let dueAt: Date;

  it('is given 48 hours on the MASH clock to supply it, and is not yet overdue', async () => {
    const status = await submit({ ...CHILD_REFERRAL, familyInformed: NOT_TOLD });
    reference = status.caseReference;
    const body = await call(CASE, { r: reference }, manager(reference));
    expect(body.errors).toBeUndefined();
    expect(body.data.caseByReference.referral.earlyHelpAssessment).toEqual({
      reference: null,
      summary: null,
      suppliedAt: null,
      dueAt: earlyHelpAssessmentDueAt(new Date(status.receivedAt), TIMELINESS).toISOString(),
      overdue: false,
    });
    expect(await followUpsOf(reference)).toEqual([]);
  });

  it('needs no deadline when the assessment came with it, or the concern is not child protection', async () => {
    const withIt = await submit({
      ...CHILD_REFERRAL,
      earlyHelpAssessment: { reference: 'EHA-SYN-0042' },
    });
    const read = await call(CASE, { r: withIt.caseReference }, manager(withIt.caseReference));
    expect(read.data.caseByReference.referral.earlyHelpAssessment).toMatchObject({
      reference: 'EHA-SYN-0042',
      suppliedAt: withIt.receivedAt,
      dueAt: null,
      overdue: false,
    });
    const notUrgent = await submit({ ...CHILD_REFERRAL, immediateRisk: false });
    const later = await call(
      CASE,
      { r: notUrgent.caseReference },
      manager(notUrgent.caseReference),
    );
    expect(later.data.caseByReference.referral.earlyHelpAssessment.dueAt).toBeNull();
    // Triaged at child protection, it owes the assessment within 48 hours of receipt.
    const triaged = await call(
      `mutation ($r: String!) { triageReferral(caseReference: $r, rag: RED, threshold: CHILD_PROTECTION, reason: "Marks seen; the child is frightened to go home.") {
        referral { earlyHelpAssessment { dueAt overdue } } } }`,
      { r: notUrgent.caseReference },
      manager(notUrgent.caseReference),
    );
    expect(triaged.errors).toBeUndefined();
    expect(triaged.data.triageReferral.referral.earlyHelpAssessment).toEqual({
      dueAt: earlyHelpAssessmentDueAt(new Date(notUrgent.receivedAt), TIMELINESS).toISOString(),
      overdue: false,
    });
  });

  it('becomes overdue once its 48 hours on the MASH clock have passed, and is listed and counted', async () => {
    // Received on the Friday before the August bank holiday: due the Wednesday after (BST).
    const receivedAt = new Date('2026-08-28T14:00:00Z');
    dueAt = await receivedEarlier(reference, receivedAt);
    expect(dueAt.toISOString()).toBe('2026-09-02T14:00:00.000Z');
    const body = await call(CASE, { r: reference }, manager(reference));
    expect(body.data.caseByReference.referral.earlyHelpAssessment).toMatchObject({
      dueAt: dueAt.toISOString(),
      overdue: true,
    });
    const before = Date.now();
    const [item, ...rest] = await followUpsOf(reference);
    expect(rest).toEqual([]);
    expect(item).toMatchObject({ kind: 'EARLY_HELP_ASSESSMENT', dueAt: dueAt.toISOString() });
    expect(
      Math.abs(item.minutesOverdue - Math.floor((before - dueAt.getTime()) / 60_000)),
    ).toBeLessThanOrEqual(1);

    const measures = await call(
      `query ($from: DateTimeISO!, $to: DateTimeISO!) { mashPerformance(from: $from, to: $to) {
        referrals earlyHelpAssessments { due suppliedOnTime suppliedLate outstanding overdue } } }`,
      { from: '2026-08-28T14:00:00Z', to: '2026-08-28T14:00:00.001Z' },
      manager(null),
    );
    expect(measures.data.mashPerformance).toEqual({
      referrals: 1,
      earlyHelpAssessments: {
        due: 1,
        suppliedOnTime: 0,
        suppliedLate: 0,
        outstanding: 1,
        overdue: 1,
      },
    });
  });

  it('takes the assessment later: no longer listed, counted as supplied late', async () => {
    const refused = await call(
      `mutation ($r: String!) { supplyEarlyHelpAssessment(caseReference: $r, assessment: {}) { suppliedAt } }`,
      { r: reference },
      manager(reference),
    );
    expect(refused.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'assessment',
    });
    const body = await call(
      `mutation ($r: String!) { supplyEarlyHelpAssessment(caseReference: $r, assessment: { reference: "EHA-SYN-0099", summary: "Family support plan since June; father absent from meetings." }) {
        reference summary suppliedAt dueAt overdue } }`,
      { r: reference },
      manager(reference),
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.supplyEarlyHelpAssessment).toMatchObject({
      reference: 'EHA-SYN-0099',
      dueAt: dueAt.toISOString(),
      overdue: true,
    });
    expect(await followUpsOf(reference)).toEqual([]);
    const measures = await call(
      `query ($from: DateTimeISO!, $to: DateTimeISO!) { mashPerformance(from: $from, to: $to) {
        earlyHelpAssessments { due suppliedOnTime suppliedLate outstanding overdue } } }`,
      { from: '2026-08-28T00:00:00Z', to: '2026-08-29T00:00:00Z' },
      manager(null),
    );
    expect(measures.data.mashPerformance.earlyHelpAssessments).toEqual({
      due: 1,
      suppliedOnTime: 0,
      suppliedLate: 1,
      outstanding: 0,
      overdue: 0,
    });
  });
});

describe('telling the family', () => {
  let reference: string;

  it('keeps the decision not to tell them and its reason, for the manager on the case', async () => {
    reference = (
      await submit({ ...CHILD_REFERRAL, immediateRisk: false, familyInformed: NOT_TOLD })
    ).caseReference;
    const body = await call(CASE, { r: reference }, manager(reference));
    expect(body.data.caseByReference.familyInformed).toEqual({
      told: false,
      toldBy: null,
      toldAt: null,
      notToldReason: NOT_TOLD.notToldReason,
      notToldDecidedBy: NOT_TOLD.notToldDecidedBy,
      recordedBy: `manager.${TEAM}`,
      needsAttention: false,
    });
    // A reason recorded: nothing to follow up.
    expect(await followUpsOf(reference)).toEqual([]);
  });

  it('keeps it from the referrer and from a manager not on the case', async () => {
    const referrer = requestHeaders(
      { userId: 'teacher.follow-ups', role: Role.REFERRER },
      null,
      null,
    );
    const asReferrer = await call(CASE, { r: reference }, referrer);
    expect(asReferrer.data?.caseByReference ?? null).toBeNull();
    expect(asReferrer.errors![0].extensions!.code).toBe('WRONG_PURPOSE');
    // The referrer's own view of a referral has no such field at all.
    const own = await call('{ myReferrals { familyInformed { notToldReason } } }', {}, referrer);
    expect(own.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const otherTeam = await call(CASE, { r: reference }, manager(reference, MASH_TEAMS[0]));
    expect(otherTeam.data?.caseByReference ?? null).toBeNull();
    for (const answer of [asReferrer, own, otherTeam])
      expect(JSON.stringify(answer)).not.toContain('alleged abuser');
  });

  it('flags a case where the family has not been told and no reason is recorded, until someone says', async () => {
    const silent = (await submit({ ...CHILD_REFERRAL, immediateRisk: false })).caseReference;
    const notToldNoReason = (
      await submit({ ...CHILD_REFERRAL, immediateRisk: false, familyInformed: { told: false } })
    ).caseReference;
    for (const r of [silent, notToldNoReason]) {
      const read = await call(CASE, { r }, manager(r));
      expect(read.data.caseByReference.familyInformed).toMatchObject({
        told: r === silent ? null : false,
        needsAttention: true,
      });
      expect((await followUpsOf(r)).map((f) => f.kind)).toEqual(['FAMILY_NOT_TOLD']);
    }
    // A reason without who judged it is refused, and changes nothing.
    const RECORD = `mutation ($r: String!, $informed: FamilyInformedInput!) {
      recordFamilyInformed(caseReference: $r, informed: $informed) { told toldBy toldAt notToldReason needsAttention } }`;
    const half = await call(
      RECORD,
      { r: silent, informed: { told: false, notToldReason: 'It would raise the risk.' } },
      manager(silent),
    );
    expect(half.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'informed.notToldDecidedBy',
    });
    expect((await followUpsOf(silent)).map((f) => f.kind)).toEqual(['FAMILY_NOT_TOLD']);

    const toldAt = new Date(Date.now() - 3_600_000).toISOString();
    const told = await call(
      RECORD,
      { r: silent, informed: { told: true, toldBy: 'A Social Worker', toldAt } },
      manager(silent),
    );
    expect(told.errors).toBeUndefined();
    expect(told.data.recordFamilyInformed).toEqual({
      told: true,
      toldBy: 'A Social Worker',
      toldAt,
      notToldReason: null,
      needsAttention: false,
    });
    expect(await followUpsOf(silent)).toEqual([]);
    expect((await followUpsOf(notToldNoReason)).map((f) => f.kind)).toEqual(['FAMILY_NOT_TOLD']);

    // IG sees in the audit who recorded it, when, for which case.
    const audit = await call(
      'query ($r: String!) { auditTrail(caseReference: $r, first: 50) { entries { agentUserId agentRole outcome granted recorded } } }',
      { r: silent },
      ig(),
    );
    expect(audit.errors).toBeUndefined();
    const recorded = audit.data.auditTrail.entries.filter((e: { granted: string[] }) =>
      e.granted.includes('shared:Mutation.recordFamilyInformed'),
    );
    // The refused attempt (a reason with nobody who judged it) and the recording, both audited.
    expect(
      recorded
        .map((e: { agentUserId: string; outcome: string }) => `${e.agentUserId} ${e.outcome}`)
        .sort(),
    ).toEqual([`manager.${TEAM} REFUSED`, `manager.${TEAM} SUCCESS`]);
    expect(recorded.flatMap((e: { granted: string[] }) => e.granted)).toContain(
      'mash:FamilyInformed.toldBy',
    );
  });

  it('is recorded only by a manager working on the case', async () => {
    const RECORD = `mutation ($r: String!) { recordFamilyInformed(caseReference: $r, informed: { told: false, notToldReason: "x", notToldDecidedBy: "y" }) { told } }`;
    const researcher = await call(
      RECORD,
      { r: reference },
      requestHeaders(
        { userId: 'researcher.police', role: Role.AGENCY_RESEARCHER, agency: 'police', team: TEAM },
        Purpose.AGENCY_CHECK,
        reference,
      ),
    );
    expect(researcher.errors![0].extensions).toMatchObject({
      code: 'NOT_PERMITTED',
      rule: 'has-role',
    });
    const otherTeam = await call(RECORD, { r: reference }, manager(reference, MASH_TEAMS[0]));
    expect(otherTeam.errors![0].extensions!.code).toBe('NOT_ASSIGNED');
    const read = await call(CASE, { r: reference }, manager(reference));
    expect(read.data.caseByReference.familyInformed.notToldReason).toBe(NOT_TOLD.notToldReason);
  });
});
