import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { CONSULTATION_POLICY } from '../policies/permissions';
import { Purpose, Role } from '../policies/roles';
import { MASH_TEAMS } from '../subgraphs/mash/data';
import { postGraphQL, requestHeaders } from './graphqlClient';
import { POLICIES_ALONE, startTestSystem } from './testSystem';

/**
 * The professional consultation service through the gateway: advice without a referral, recorded
 * and read by the hub's managers only, linked to the referral it became, counted over a period.
 */
let system: EmbeddedSystem;
beforeAll(async () => {
  // The case system is sent unregistered operations here, to prove the consultation policy holds
  // on its own beneath the registered-operations control (test/caseSystemAccess.test.ts).
  system = await startTestSystem({
    ...POLICIES_ALONE,
    port: 0,
    seed: 31,
    families: 20,
    subgraphTimeoutMs: 2000,
  });
});
afterAll(() => system?.stop());

const TEAM = MASH_TEAMS[0];
const call = async (
  text: string,
  variables: Record<string, unknown>,
  headers: Promise<Record<string, string>>,
) => (await postGraphQL(system.gateway.url, text, variables, await headers)).body;
const manager = (caseReference: string | null = null, team = TEAM) =>
  requestHeaders(
    { userId: `manager.${team}`, role: Role.MASH_MANAGER, team },
    Purpose.AGENCY_CHECK,
    caseReference,
  );

const RECORD = `mutation ($c: ConsultationInput!) {
  recordConsultation(consultation: $c) { id askedAt askedByRole askedByAgency question advice advisedBy becameReferral }
}`;
const LIST = `query ($from: DateTimeISO!, $to: DateTimeISO!) {
  consultations(from: $from, to: $to) { askedAt askedByAgency becameReferral }
}`;
const MEASURES = `query ($from: DateTimeISO!, $to: DateTimeISO!) {
  mashPerformance(from: $from, to: $to) { referrals consultations { received becameReferrals byAgency { key count } } }
}`;
const FROM = '2026-06-01T00:00:00.000Z';
const TO = '2026-07-01T00:00:00.000Z';
const consultation = (askedAt: string, askedByAgency = 'Synthetic Primary School') => ({
  askedAt,
  askedByRole: 'Designated safeguarding lead',
  askedByAgency,
  question: 'A pupil is often hungry and late; is this a referral or early help?',
  advice: 'Talk to the family about early help first; refer if the picture worsens.',
});

describe('the consultation service', () => {
  const ids: Record<string, string> = {};

  it('records advice given without a referral: who asked, what about, the advice', async () => {
    // Around the period's edges: the instant before, the first instant, the last, the end.
    for (const askedAt of ['2026-05-31T23:59:59.999Z', FROM, '2026-06-30T23:59:59.999Z', TO]) {
      const body = await call(RECORD, { c: consultation(askedAt) }, manager());
      expect(body.errors).toBeUndefined();
      expect(body.data.recordConsultation).toMatchObject({
        askedAt,
        askedByRole: 'Designated safeguarding lead',
        advisedBy: `manager.${TEAM}`,
        becameReferral: null,
      });
      ids[askedAt] = body.data.recordConsultation.id;
    }
    const gp = await call(
      RECORD,
      { c: consultation('2026-06-15T12:00:00.000Z', 'Synthetic GP Surgery') },
      manager(),
    );
    ids.gp = gp.data.recordConsultation.id;
  });

  it('refuses one asked in the future, or with no advice recorded', async () => {
    const future = await call(
      RECORD,
      { c: consultation(new Date(Date.now() + 60_000).toISOString()) },
      manager(),
    );
    expect(future.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'consultation.askedAt',
    });
    const noAdvice = await call(RECORD, { c: { ...consultation(FROM), advice: ' ' } }, manager());
    expect(noAdvice.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'consultation.advice',
    });
    // No field for a person's demographics exists to fill in.
    const withChild = await call(
      RECORD,
      { c: { ...consultation(FROM), dateOfBirth: '2017-01-01' } },
      manager(),
    );
    expect(withChild.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('links a consultation to the referral it became, on a case the manager works on', async () => {
    const referral = await call(
      `mutation ($r: ReferralInput!) { submitReferral(referral: $r) { caseReference } }`,
      {
        r: {
          referrerType: 'SCHOOL',
          referrerOrganisation: 'Synthetic Primary School',
          referrerContact: 'dsl@synthetic-primary.example',
          concerns: 'The pupil discussed in a consultation now has unexplained bruises.',
          immediateRisk: false,
          consentSought: true,
          consentGiven: true,
          earlyHelpAssessment: { reference: 'EHA-SYN-0007' },
          familyInformed: { told: true, toldBy: 'A Teacher', toldAt: new Date().toISOString() },
          subjects: [
            {
              roleInHousehold: 'CHILD',
              givenName: 'Lou',
              familyName: 'Exampleconsult',
              dateOfBirth: '2016-05-06',
            },
          ],
        },
      },
      manager(),
    );
    const reference: string = referral.data.submitReferral.caseReference;
    const LINK = `mutation ($id: ID!, $r: String!) { linkConsultationToReferral(consultationId: $id, caseReference: $r) { becameReferral } }`;
    // The case must be the one the request declares, and the manager's team's.
    const undeclared = await call(LINK, { id: ids[FROM], r: reference }, manager());
    expect(undeclared.errors![0].extensions!.code).toBe('CASE_REQUIRED');
    const otherTeam = await call(
      LINK,
      { id: ids[FROM], r: reference },
      manager(reference, MASH_TEAMS[1]),
    );
    expect(otherTeam.errors![0].extensions!.code).toBe('NOT_ASSIGNED');
    const linked = await call(LINK, { id: ids[FROM], r: reference }, manager(reference));
    expect(linked.errors).toBeUndefined();
    expect(linked.data.linkConsultationToReferral.becameReferral).toBe(reference);
  });

  it('counts the consultations asked for in [from, to), whatever became of them', async () => {
    const list = await call(LIST, { from: FROM, to: TO }, manager());
    expect(list.errors).toBeUndefined();
    expect(list.data.consultations.map((c: { askedAt: string }) => c.askedAt)).toEqual([
      FROM,
      '2026-06-15T12:00:00.000Z',
      '2026-06-30T23:59:59.999Z',
    ]);
    const measures = await call(MEASURES, { from: FROM, to: TO }, manager());
    expect(measures.errors).toBeUndefined();
    expect(measures.data.mashPerformance.consultations).toEqual({
      received: 3,
      becameReferrals: 1,
      byAgency: [
        { key: 'Synthetic GP Surgery', count: 1 },
        { key: 'Synthetic Primary School', count: 2 },
      ],
    });
    // The referral it became is counted with the referrals of its own day, not here.
    const next = await call(MEASURES, { from: TO, to: '2026-07-02T00:00:00.000Z' }, manager());
    expect(next.data.mashPerformance.consultations).toMatchObject({
      received: 1,
      becameReferrals: 0,
    });
  });

  describe('is refused to every role but the manager, with a coded error', () => {
    const others = [
      [
        'a referrer',
        requestHeaders({ userId: 'teacher.consult', role: Role.REFERRER }, null, null),
      ],
      [
        'a researcher',
        requestHeaders(
          {
            userId: 'researcher.education',
            role: Role.AGENCY_RESEARCHER,
            agency: 'education',
            team: TEAM,
          },
          Purpose.AGENCY_CHECK,
          null,
        ),
      ],
      [
        'an IG officer',
        requestHeaders({ userId: 'ig.consult', role: Role.IG_OFFICER }, Purpose.AUDIT, null),
      ],
      [
        'a case system',
        requestHeaders(
          { userId: 'csc.system', role: Role.CASE_SYSTEM, agency: 'social-care' },
          Purpose.CASE_HISTORY,
          null,
        ),
      ],
    ] as const;

    it('the policy names the manager alone', () => {
      expect(CONSULTATION_POLICY).toEqual({
        record: [Role.MASH_MANAGER],
        read: [Role.MASH_MANAGER],
      });
    });

    it.each(others)('%s may not record one', async (_who, headers) => {
      const body = await call(RECORD, { c: consultation(FROM) }, headers);
      expect(body.data?.recordConsultation ?? null).toBeNull();
      expect(body.errors![0].extensions).toMatchObject({ code: 'NOT_PERMITTED', rule: 'has-role' });
    });

    it.each(others)('%s may not read them, nor their count', async (_who, headers) => {
      const list = await call(LIST, { from: FROM, to: TO }, headers);
      expect(list.data?.consultations ?? null).toBeNull();
      expect(list.errors![0].extensions).toMatchObject({ code: 'NOT_PERMITTED', rule: 'has-role' });
      const measures = await call(MEASURES, { from: FROM, to: TO }, headers);
      expect(measures.data?.mashPerformance ?? null).toBeNull();
      expect(JSON.stringify([list, measures])).not.toContain('hungry');
    });

    it('and nothing was recorded by the refused attempts', async () => {
      const list = await call(LIST, { from: FROM, to: TO }, manager());
      expect(list.data.consultations).toHaveLength(3);
    });
  });
});
