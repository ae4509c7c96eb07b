import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { Purpose, Role } from '../policies/roles';
import { ageOn, SyntheticPerson } from '../synthetic/population';
import { stableUuid } from '../synthetic/stableUuid';
import { AuditRecord } from '../subgraphs/audit/entities';
import { MASH_TEAMS } from '../subgraphs/mash/data';
import { DemographicCorrection } from '../subgraphs/mash/entities/demographicCorrection';
import { IdentityMatchDecision } from '../subgraphs/mash/entities/identityMatchDecision';
import { PoliceInvolvement, PolicePerson } from '../subgraphs/police/entities';
import { GraphQLBody, postGraphQL, requestHeaders } from './graphqlClient';
import { startTestSystem } from './testSystem';

/**
 * A person confirms or rejects a possible match, and the MASH corrects a subject's demographics
 * (issue 14, part 4), all through the gateway: the decision is the agency's researcher's (for
 * their own agency) or the manager's, on a case they work on, for a subject of that case; it is
 * audited; the agency reads it at its next check, with the corrected demographics.
 */
let system: EmbeddedSystem;
beforeAll(async () => {
  system = await startTestSystem({ port: 0, seed: 11, families: 40, subgraphTimeoutMs: 3000 });
});
afterAll(() => system?.stop());

const dataSourceOf = (name: string) =>
  system.subgraphs.find((s) => s.name === name)!.database.dataSource;
const call = async (
  text: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
): Promise<GraphQLBody> => (await postGraphQL(system.gateway.url, text, variables, headers)).body;

type Who = { userId: string; role: Role; agency?: string; team?: string };
const as = (who: Who, reference: string | null) =>
  requestHeaders(
    { agency: null, team: null, ...who },
    who.role === Role.REFERRER ? null : Purpose.AGENCY_CHECK,
    reference,
  );

const SUBMIT = `mutation ($referral: ReferralInput!) { submitReferral(referral: $referral) { caseReference } }`;
const TRIAGE = `mutation ($case: String!) {
  triageReferral(caseReference: $case, rag: AMBER, threshold: COMPLEX, reason: "A child named by a neighbour; checks needed today.") { reference }
}`;
const CONSENT = `mutation ($case: String!) {
  recordConsent(caseReference: $case, state: GIVEN, notes: "Mother agreed on the phone to the MASH checks.") { state }
}`;
const POLICE_CHECK = `query PoliceCheck($ref: String!) {
  caseByReference(reference: $ref) {
    subjects {
      id givenName dateOfBirth
      police {
        status reason
        match { confidence basis needsVerification recordReference otherCandidates }
        incidents { recordId type }
      }
    }
  }
}`;
const DECIDE = (mutation: 'confirmIdentityMatch' | 'rejectIdentityMatch') => `mutation Decide(
  $case: String!, $subject: ID!, $agency: String!, $record: ID!, $reason: String!
) {
  ${mutation}(caseReference: $case, subjectId: $subject, agency: $agency, recordReference: $record, reason: $reason) {
    subjectId agency recordReference decision reason decidedBy
  }
}`;
const CORRECT = `mutation Correct($case: String!, $subject: ID!, $correction: SubjectCorrectionInput!) {
  correctSubjectDemographics(caseReference: $case, subjectId: $subject, correction: $correction, reason: "Date of birth confirmed with the school office.") {
    id dateOfBirth
  }
}`;

/** A child the police hold under her true names and date of birth, in incidents. */
async function childKnownToPolice(): Promise<{ child: SyntheticPerson; incidentIds: string[] }> {
  for (const family of system.population) {
    for (const child of family.members) {
      if (ageOn(child.dateOfBirth) < 5 || ageOn(child.dateOfBirth) > 15) continue;
      const record = await dataSourceOf('police')
        .getRepository(PolicePerson)
        .findOneBy({ id: stableUuid('police', child.personKey) });
      if (
        record?.givenName !== child.givenName ||
        record.familyName !== child.familyName ||
        record.dateOfBirth !== child.dateOfBirth
      )
        continue;
      const involvements = await dataSourceOf('police')
        .getRepository(PoliceInvolvement)
        .find({ where: { personId: record.id }, relations: { incident: true } });
      if (involvements.length === 0) continue;
      return { child, incidentIds: involvements.map((i) => i.incident.id).sort() };
    }
  }
  throw new Error('no child is known to the police under her true details in this population');
}

interface OpenCase {
  reference: string;
  team: string;
  subjectId: string;
  manager: Record<string, string>;
  policeResearcher: Record<string, string>;
}

/** A referral naming the child (no address: a possible match at best), triaged, consent given. */
async function referChild(subject: Record<string, unknown>): Promise<OpenCase> {
  const submitted = await call(
    SUBMIT,
    {
      referral: {
        referrerType: 'OTHER',
        referrerName: 'A Neighbour',
        referrerContact: 'neighbour@synthetic.example',
        concerns: 'A child next door is often left alone late into the evening.',
        immediateRisk: false,
        consentSought: false,
        consentNotes: 'A neighbour: not in touch with the family.',
        subjects: [{ roleInHousehold: 'CHILD', ...subject }],
      },
    },
    await as({ userId: 'neighbour.synthetic', role: Role.REFERRER }, null),
  );
  expect(submitted.errors).toBeUndefined();
  const reference: string = submitted.data.submitReferral.caseReference;
  for (const team of MASH_TEAMS) {
    const manager = await as(
      { userId: `manager.${team}`, role: Role.MASH_MANAGER, team },
      reference,
    );
    const triaged = await call(TRIAGE, { case: reference }, manager);
    if (triaged.errors?.[0]?.extensions?.code === 'NOT_ASSIGNED') continue;
    expect(triaged.errors).toBeUndefined();
    expect((await call(CONSENT, { case: reference }, manager)).errors).toBeUndefined();
    const checked = await call(POLICE_CHECK, { ref: reference }, manager);
    return {
      reference,
      team,
      subjectId: checked.data.caseByReference.subjects[0].id,
      manager,
      policeResearcher: await as(
        { userId: `police.${team}`, role: Role.AGENCY_RESEARCHER, agency: 'police', team },
        reference,
      ),
    };
  }
  throw new Error(`${reference} is assigned to no team`);
}

async function policeCheck(opened: OpenCase) {
  const body = await call(POLICE_CHECK, { ref: opened.reference }, opened.manager);
  return { body, police: body.data.caseByReference.subjects[0].police };
}

const decisionsIn = (subjectId: string) =>
  dataSourceOf('mash').getRepository(IdentityMatchDecision).findBy({ subjectId });

async function lastAudit(operationName: string): Promise<AuditRecord> {
  const [last] = await dataSourceOf('audit')
    .getRepository(AuditRecord)
    .find({ where: { operationName }, order: { sequence: 'DESC' }, take: 1 });
  return last;
}

let known: { child: SyntheticPerson; incidentIds: string[] };
let trueRecord: string;
beforeAll(async () => {
  known = await childKnownToPolice();
  trueRecord = stableUuid('police', known.child.personKey);
});
// Names only: with neither a date of birth nor an NHS number agreeing, a match is possible at best.
const possibleMatch = () => ({
  givenName: known.child.givenName,
  familyName: known.child.familyName,
});

describe("the police's researcher confirms a possible match", () => {
  let opened: OpenCase;
  beforeAll(async () => {
    opened = await referChild(possibleMatch());
  });

  it('before: a possible match, its records withheld', async () => {
    const { police } = await policeCheck(opened);
    expect(police.match).toMatchObject({ recordReference: trueRecord, needsVerification: true });
    expect(police.incidents).toBeNull();
  });

  it('after: the records are shared as a certain match, the basis saying a person confirmed it', async () => {
    const decided = await call(
      DECIDE('confirmIdentityMatch'),
      {
        case: opened.reference,
        subject: opened.subjectId,
        agency: 'police',
        record: trueRecord,
        reason: 'Checked the school and the address history with the family.',
      },
      opened.policeResearcher,
    );
    expect(decided.errors).toBeUndefined();
    expect(decided.data.confirmIdentityMatch).toMatchObject({
      subjectId: opened.subjectId,
      agency: 'police',
      recordReference: trueRecord,
      decision: 'CONFIRMED',
      decidedBy: `police.${opened.team}`,
    });

    const { body, police } = await policeCheck(opened);
    expect(police).toMatchObject({
      status: 'FOUND',
      reason: null,
      match: {
        recordReference: trueRecord,
        basis: 'CONFIRMED_BY_PERSON',
        needsVerification: false,
      },
    });
    expect(police.incidents.map((i: { recordId: string }) => i.recordId).sort()).toEqual(
      known.incidentIds,
    );
    expect((body.errors ?? []).filter((e) => e.extensions?.code === 'MATCH_NOT_VERIFIED')).toEqual(
      [],
    );
  });

  it('audits the decision: who, the case, the subject, the agency and which decision', async () => {
    const audit = await lastAudit('Decide');
    expect(audit).toMatchObject({
      agentUserId: `police.${opened.team}`,
      agentRole: Role.AGENCY_RESEARCHER,
      agentAgency: 'police',
      caseReference: opened.reference,
      subjectIds: [opened.subjectId],
      custodians: ['police'],
      outcome: 'SUCCESS',
    });
    expect(audit.granted).toContain('shared:Mutation.confirmIdentityMatch');
  });
});

describe('a rejected record', () => {
  it('is never proposed again for that subject in that case, and only in that case', async () => {
    const rejecting = await referChild(possibleMatch());
    const other = await referChild(possibleMatch());
    expect((await policeCheck(rejecting)).police.match.recordReference).toBe(trueRecord);

    const decided = await call(
      DECIDE('rejectIdentityMatch'),
      {
        case: rejecting.reference,
        subject: rejecting.subjectId,
        agency: 'police',
        record: trueRecord,
        reason: 'The family says this is a cousin of the same name, born the same day.',
      },
      rejecting.manager,
    );
    expect(decided.errors).toBeUndefined();
    expect(decided.data.rejectIdentityMatch.decision).toBe('REJECTED');

    for (let i = 0; i < 2; i++) {
      const { police } = await policeCheck(rejecting);
      expect(police.match?.recordReference).not.toBe(trueRecord);
      expect(police.status).toBe('NONE_FOUND');
    }
    // Another case naming the same child still has the record proposed: decisions are per case.
    expect((await policeCheck(other)).police.match.recordReference).toBe(trueRecord);

    const audit = await lastAudit('Decide');
    expect(audit).toMatchObject({
      agentRole: Role.MASH_MANAGER,
      caseReference: rejecting.reference,
      subjectIds: [rejecting.subjectId],
      custodians: ['police'],
    });
    expect(audit.granted).toContain('shared:Mutation.rejectIdentityMatch');
  });
});

describe('a decision is refused', () => {
  let opened: OpenCase;
  let elsewhere: OpenCase;
  beforeAll(async () => {
    opened = await referChild(possibleMatch());
    elsewhere = await referChild(possibleMatch());
  });
  const otherTeam = () => MASH_TEAMS.find((t) => t !== opened.team)!;

  // [who asks, what they send (over the defaults), the error code, its rule when a policy refuses]
  const refusals: [string, () => Promise<Record<string, string>>, object, string, string | null][] =
    [
      [
        "another agency's researcher",
        () =>
          as(
            {
              userId: 'health.r',
              role: Role.AGENCY_RESEARCHER,
              agency: 'health',
              team: opened.team,
            },
            opened.reference,
          ),
        {},
        'NOT_PERMITTED',
        'may-decide-identity-match',
      ],
      [
        "the police's researcher on a case not assigned to their team",
        () =>
          as(
            {
              userId: 'police.r',
              role: Role.AGENCY_RESEARCHER,
              agency: 'police',
              team: otherTeam(),
            },
            opened.reference,
          ),
        {},
        'NOT_ASSIGNED',
        'assigned-to-case',
      ],
      [
        'a referrer',
        () => as({ userId: 'neighbour.synthetic', role: Role.REFERRER }, opened.reference),
        {},
        'NOT_PERMITTED',
        'has-role',
      ],
      [
        'a manager naming a case other than the one declared',
        async () => opened.manager,
        { case: 'MASH-2026-999999' },
        'NOT_ASSIGNED',
        'names-declared-case',
      ],
      [
        'a manager, for a subject of another case',
        async () => opened.manager,
        { subject: 'elsewhere' },
        'NOT_FOUND',
        null,
      ],
      [
        'a manager, for a reference that names no record',
        async () => opened.manager,
        { record: 'INC-123' },
        'NOT_FOUND',
        null,
      ],
      [
        'a manager, for an agency that is not one',
        async () => opened.manager,
        { agency: 'fire-and-rescue' }, // not an agency of this hub
        'BAD_USER_INPUT',
        null,
      ],
    ];

  it.each(refusals)('for %s', async (_who, headers, overrides, code, rule) => {
    const variables = {
      case: opened.reference,
      subject: opened.subjectId,
      agency: 'police',
      record: trueRecord,
      reason: 'Checked the school and the address history with the family.',
      ...overrides,
    };
    if (variables.subject === 'elsewhere') variables.subject = elsewhere.subjectId;
    const body = await call(DECIDE('confirmIdentityMatch'), variables, await headers());
    expect(body.data?.confirmIdentityMatch ?? null).toBeNull();
    expect(body.errors?.[0]?.extensions).toMatchObject({ code, ...(rule ? { rule } : {}) });
    // Nothing remembered, nothing shared.
    expect(await decisionsIn(opened.subjectId)).toEqual([]);
    expect(await decisionsIn(elsewhere.subjectId)).toEqual([]);
    expect((await policeCheck(opened)).police.match.needsVerification).toBe(true);
    // Every refusal is audited as one, naming the subject and agency it was about.
    const audit = await lastAudit('Decide');
    expect(audit.outcome).toMatch(/REFUSED|DENIED/);
    expect(audit.subjectIds).toEqual([variables.subject]);
    expect(audit.custodians).toEqual(variables.agency === 'police' ? ['police'] : []);
  });
});

describe('the MASH corrects a subject after intake', () => {
  it("re-runs the agencies' matching on the corrected details, and audits which fields changed", async () => {
    // The referrer gave a wrong year of birth: the police find the child as possible at best.
    const wrongYear = `${Number(known.child.dateOfBirth.slice(0, 4)) - 3}${known.child.dateOfBirth.slice(4)}`;
    const opened = await referChild({ ...possibleMatch(), dateOfBirth: wrongYear });
    const before = (await policeCheck(opened)).police;
    expect(before.incidents ?? []).toEqual([]); // none found, or a possible match withheld
    expect(before.match?.needsVerification ?? true).toBe(true);

    const corrected = await call(
      CORRECT,
      {
        case: opened.reference,
        subject: opened.subjectId,
        correction: { dateOfBirth: known.child.dateOfBirth },
      },
      opened.manager,
    );
    expect(corrected.errors).toBeUndefined();
    expect(corrected.data.correctSubjectDemographics).toEqual({
      id: opened.subjectId,
      dateOfBirth: known.child.dateOfBirth,
    });
    const after = (await policeCheck(opened)).police;
    expect(after).toMatchObject({
      status: 'FOUND',
      match: { recordReference: trueRecord, needsVerification: false },
    });
    expect(after.incidents.map((i: { recordId: string }) => i.recordId).sort()).toEqual(
      known.incidentIds,
    );

    const audit = await lastAudit('Correct');
    expect(audit).toMatchObject({
      agentRole: Role.MASH_MANAGER,
      caseReference: opened.reference,
      subjectIds: [opened.subjectId],
      outcome: 'SUCCESS',
    });
    expect(audit.granted).toContain('shared:Mutation.correctSubjectDemographics');
    // Neither the old nor the new value is written into the audit trail.
    expect(JSON.stringify(audit)).not.toContain(wrongYear);
    expect(JSON.stringify(audit)).not.toContain(known.child.dateOfBirth);
    const corrections = await dataSourceOf('mash')
      .getRepository(DemographicCorrection)
      .findBy({ subjectId: opened.subjectId });
    expect(corrections).toEqual([expect.objectContaining({ fields: ['dateOfBirth'] })]);
    expect(JSON.stringify(corrections)).not.toContain(known.child.dateOfBirth);
  });

  it('refuses a correction from a researcher, an invalid NHS number and a correction that changes nothing', async () => {
    const opened = await referChild(possibleMatch());
    const cases: [Record<string, string>, object, string][] = [
      [opened.policeResearcher, { givenName: 'Olive' }, 'NOT_PERMITTED'],
      [opened.manager, { nhsNumber: '9991234577' }, 'BAD_USER_INPUT'],
      [opened.manager, { dateOfBirth: '2015-02-30' }, 'BAD_USER_INPUT'],
      [opened.manager, { givenName: known.child.givenName }, 'BAD_USER_INPUT'],
    ];
    for (const [headers, correction, code] of cases) {
      const body = await call(
        CORRECT,
        { case: opened.reference, subject: opened.subjectId, correction },
        headers,
      );
      expect([correction, body.errors?.[0]?.extensions?.code]).toEqual([correction, code]);
    }
    expect(
      await dataSourceOf('mash')
        .getRepository(DemographicCorrection)
        .findBy({ subjectId: opened.subjectId }),
    ).toEqual([]);
  });
});
