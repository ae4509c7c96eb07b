import { AGENCIES } from '../subgraphs/agencies';
import { randomBytes } from 'node:crypto';
import { DevelopmentServiceAccount } from '../gateway/clientCredentials';
import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { Purpose, Role } from '../policies/roles';
import { Case } from '../subgraphs/mash/entities/case';
import { syntheticNhsNumber } from '../synthetic/nhsNumber';
import manifest from '../operations/persisted-query-manifest.json';
import { GraphQLBody, postGraphQL, requestHeaders } from './graphqlClient';
import { startTestSystem } from './testSystem';

/**
 * The hand-over after the decision: the decision names the receiving service and sets actions per
 * agency; the receiving service's case system alone keeps pulling the decided case (its own linked
 * case, CASE_HISTORY); and a new referral for a known person shows the manager the earlier case.
 */
const account = (agency: string): DevelopmentServiceAccount => ({
  clientId: `${agency}.system.handover`,
  secret: randomBytes(32).toString('base64url'),
  agency,
});
const socialCareSystem = account('social-care');
const earlyHelpSystem = account('early-help');
const policeSystem = account('police');

let system: EmbeddedSystem;
let origin: string;
beforeAll(async () => {
  system = await startTestSystem({
    port: 0,
    seed: 41,
    families: 20,
    subgraphTimeoutMs: 5000,
    serviceAccounts: [socialCareSystem, earlyHelpSystem, policeSystem],
  });
  origin = new URL(system.gateway.url).origin;
}, 120_000);
afterAll(() => system?.stop());

const cases = () =>
  system.subgraphs.find((s) => s.name === 'mash')!.database.dataSource.getRepository(Case);
const codes = (body: GraphQLBody) => (body.errors ?? []).map((e) => e.extensions?.code);

const manager = async (caseReference: string | null, team?: string) => {
  const teams = caseReference
    ? (await cases().findOneBy({ reference: caseReference }))?.teams
    : undefined;
  const myTeam = team ?? teams?.[0] ?? 'mash-east';
  return requestHeaders(
    { userId: `manager.${myTeam}`, role: Role.MASH_MANAGER, team: myTeam },
    Purpose.AGENCY_CHECK,
    caseReference,
  );
};
const call = async (
  text: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
) => (await postGraphQL(system.gateway.url, text, variables, headers)).body;

async function tokenFor(caseSystem: DevelopmentServiceAccount): Promise<string> {
  const response = await fetch(`${origin}/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${caseSystem.clientId}:${caseSystem.secret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** A registered operation, by hash, as a case system sends it. */
async function asCaseSystem(
  caseSystem: DevelopmentServiceAccount,
  operation: 'CaseSystemHistory' | 'SubjectHistory' | 'CaseChronology',
  declare: string,
  reference: string,
): Promise<GraphQLBody> {
  const response = await fetch(system.gateway.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await tokenFor(caseSystem)}`,
      'x-mash-purpose': Purpose.CASE_HISTORY,
      'x-mash-case': declare,
    },
    body: JSON.stringify({
      variables: { reference },
      extensions: {
        persistedQuery: {
          version: 1,
          sha256Hash: manifest.operations.find((o) => o.name === operation)!.id,
        },
      },
    }),
  });
  return (await response.json()) as GraphQLBody;
}

// Synthetic people only: NHS numbers from a seed no seeded population uses, all in the 999 range.
const CHILD_NHS = syntheticNhsNumber(90_001, 1);
const TWIN_NHS = syntheticNhsNumber(90_001, 2);
const OTHER_NHS = syntheticNhsNumber(90_001, 3);
const child = {
  roleInHousehold: 'CHILD',
  givenName: 'Hollis',
  familyName: 'Handover',
  dateOfBirth: '2019-04-05',
  nhsNumber: CHILD_NHS,
};
const twin = { ...child, givenName: 'Harper', nhsNumber: TWIN_NHS };
const parent = {
  roleInHousehold: 'PARENT',
  givenName: 'Paula',
  familyName: 'Handover',
  dateOfBirth: '1990-01-02',
};
const referral = (subjects: object[]) => ({
  referrerType: 'SCHOOL',
  referrerName: 'A Designated Safeguarding Lead',
  referrerOrganisation: 'Synthetic Primary School',
  referrerContact: 'dsl@synthetic-school.example',
  concerns: 'Child arrived with a bruise to the cheek and said a parent hit them last night.',
  immediateRisk: false,
  consentSought: true,
  consentGiven: true,
  consentNotes: 'Parent agreed to the MASH checking with the agencies.',
  familyInformed: {
    told: true,
    toldBy: 'A Designated Safeguarding Lead',
    toldAt: '2026-11-30T09:00:00Z',
  },
  subjects,
});

const SUBMIT = `mutation ($referral: ReferralInput!) { submitReferral(referral: $referral) { caseReference } }`;
const TRIAGE = `mutation ($r: String!) {
  triageReferral(caseReference: $r, rag: AMBER, threshold: COMPLEX, reason: "Injury disclosed by a child; no immediate danger today.") { reference }
}`;
const DECIDE = `mutation ($r: String!, $outcome: MashOutcome!, $service: ReceivingService, $actions: [AgencyActionInput!]) {
  recordDecision(caseReference: $r, outcome: $outcome, ragAfterChecks: RED, receivingService: $service, agencyActions: $actions,
    rationale: "Injury disclosed, known to police for domestic abuse: needs an assessment.") {
    outcome receivingService agencyActions { agency action dueDate }
  }
}`;

/** A referral submitted, triaged and (optionally) linked to a case system's own reference. */
async function triagedCase(
  subjects: object[],
  link?: { system: string; reference: string },
): Promise<string> {
  const submitted = await call(SUBMIT, { referral: referral(subjects) }, await manager(null));
  expect(submitted.errors).toBeUndefined();
  const reference = submitted.data.submitReferral.caseReference as string;
  expect(codes(await call(TRIAGE, { r: reference }, await manager(reference)))).toEqual([]);
  if (link) expect(codes(await linkToCaseSystem(reference, link))).toEqual([]);
  return reference;
}

const LINK = `mutation ($r: String!, $system: String!, $reference: String!) {
  linkCaseToCaseSystem(caseReference: $r, system: $system, systemReference: $reference) { caseReference system reference }
}`;

/** The manager links the case to its record in an agency's case system (or whoever `headers` names tries). */
async function linkToCaseSystem(
  reference: string,
  link: { system: string; reference: string },
  headers?: Record<string, string>,
): Promise<GraphQLBody> {
  return call(LINK, { r: reference, ...link }, headers ?? (await manager(reference)));
}

async function decide(
  reference: string,
  outcome: string,
  extra: { service?: string | null; actions?: object[] } = {},
): Promise<GraphQLBody> {
  return call(
    DECIDE,
    {
      r: reference,
      outcome,
      ...('service' in extra ? { service: extra.service } : {}),
      ...(extra.actions ? { actions: extra.actions } : {}),
    },
    await manager(reference),
  );
}

const HEALTH_VISITOR = {
  agency: 'health',
  action: 'Health visitor follow-up for the family’s additional needs.',
  dueDate: '2026-12-15',
};

describe('the decision names the receiving service and sets actions per agency', () => {
  let reference: string;
  beforeAll(async () => {
    reference = await triagedCase([{ ...child, givenName: 'Gil', nhsNumber: OTHER_NHS }]);
  });

  it.each([
    ['STRATEGY_DISCUSSION', 'EARLY_HELP'],
    ['NO_FURTHER_ACTION', 'CHILDRENS_SOCIAL_CARE'],
    ['CHILD_AND_FAMILY_ASSESSMENT', null],
    ['EARLY_HELP_ASSESSMENT', 'ADULT_SOCIAL_CARE'],
  ])(
    '%s handed to %s: BAD_USER_INPUT naming receivingService, nothing decided',
    async (outcome, service) => {
      const body = await decide(reference, outcome, { service });
      expect(body.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: 'receivingService',
      });
      expect((await cases().findOneByOrFail({ reference })).status).toBe('OPEN');
    },
  );

  it.each([
    [{ ...HEALTH_VISITOR, agency: 'health-visiting' }, 'agencyActions[0].agency'],
    [{ ...HEALTH_VISITOR, action: ' ok ' }, 'agencyActions[0].action'],
    [{ ...HEALTH_VISITOR, dueDate: '2026-02-30' }, 'agencyActions[0].dueDate'],
  ])('an action the hub cannot give an agency is refused (%o)', async (action, argument) => {
    const body = await decide(reference, 'CHILD_AND_FAMILY_ASSESSMENT', { actions: [action] });
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expect((await cases().findOneByOrFail({ reference })).status).toBe('OPEN');
  });

  it('the receiving service defaults from the outcome; the actions are shown on the decision', async () => {
    const body = await decide(reference, 'CHILD_AND_FAMILY_ASSESSMENT', {
      actions: [
        HEALTH_VISITOR,
        { agency: 'education', action: 'School to monitor attendance weekly.' },
      ],
    });
    expect(body.errors ?? []).toEqual([]); // the whole errors, messages too, if any
    expect(body.data.recordDecision).toEqual({
      outcome: 'CHILD_AND_FAMILY_ASSESSMENT',
      receivingService: 'CHILDRENS_SOCIAL_CARE',
      agencyActions: [
        HEALTH_VISITOR,
        { agency: 'education', action: 'School to monitor attendance weekly.', dueDate: null },
      ],
    });
  });

  it('no further action hands the case to no one by default', async () => {
    const other = await triagedCase([{ ...child, givenName: 'Nora', nhsNumber: null }]);
    const body = await decide(other, 'NO_FURTHER_ACTION');
    expect(body.data?.recordDecision.receivingService).toBeNull();
  });
});

describe("after the decision, the receiving service's case system alone pulls the case", () => {
  let handedToSocialCare: string;
  let handedToEarlyHelp: string;
  let notLinked: string;
  beforeAll(async () => {
    handedToSocialCare = await triagedCase([{ ...child, givenName: 'Ivo', nhsNumber: null }], {
      system: 'social-care',
      reference: 'CSC-HANDOVER-1',
    });
    expect(
      codes(await decide(handedToSocialCare, 'STRATEGY_DISCUSSION', { actions: [HEALTH_VISITOR] })),
    ).toEqual([]);
    // Linked to children's social care's system, but handed to early help.
    handedToEarlyHelp = await triagedCase([{ ...child, givenName: 'Jude', nhsNumber: null }], {
      system: 'social-care',
      reference: 'CSC-HANDOVER-2',
    });
    expect(codes(await decide(handedToEarlyHelp, 'EARLY_HELP_ASSESSMENT'))).toEqual([]);
    // Handed to children's social care, but not (yet) linked to its system.
    notLinked = await triagedCase([{ ...child, givenName: 'Kit', nhsNumber: null }]);
    expect(codes(await decide(notLinked, 'CHILD_AND_FAMILY_ASSESSMENT'))).toEqual([]);
  });

  it('pulls the MASH record, the decision and the agency-check picture under CASE_HISTORY', async () => {
    const body = await asCaseSystem(
      socialCareSystem,
      'CaseSystemHistory',
      'CSC-HANDOVER-1',
      handedToSocialCare,
    );
    expect(body.errors ?? []).toEqual([]); // the whole errors, messages too, if any
    const pulled = body.data.caseByReference;
    expect(pulled).toMatchObject({
      reference: handedToSocialCare,
      status: 'DECIDED',
      referral: { referrerType: 'SCHOOL' },
      decision: {
        outcome: 'STRATEGY_DISCUSSION',
        receivingService: 'CHILDRENS_SOCIAL_CARE',
        agencyActions: [HEALTH_VISITOR],
      },
    });
    expect(pulled.subjects.map((s: { givenName: string }) => s.givenName)).toEqual(['Ivo']);
    expect(pulled.subjects[0].police).toMatchObject({ agency: 'police' });
    const history = await asCaseSystem(
      socialCareSystem,
      'SubjectHistory',
      'CSC-HANDOVER-1',
      handedToSocialCare,
    );
    expect(codes(history)).toEqual([]);
    expect(history.data.caseByReference.subjects[0].socialCare.status).toBeDefined();
  });

  it("pulls the case's chronology too, each agency answering (never silently missing)", async () => {
    const body = await asCaseSystem(
      socialCareSystem,
      'CaseChronology',
      'CSC-HANDOVER-1',
      handedToSocialCare,
    );
    expect(body.errors ?? []).toEqual([]); // the whole errors, messages too, if any
    const chronology = body.data.caseByReference.chronology;
    expect(chronology.agencies.map((a: { agency: string }) => a.agency).sort()).toEqual(
      AGENCIES.filter((a) => a.policy.events?.length)
        .map((a) => a.name)
        .sort(),
    );
    for (const other of [policeSystem, earlyHelpSystem]) {
      const refused = await asCaseSystem(
        other,
        'CaseChronology',
        'CSC-HANDOVER-1',
        handedToSocialCare,
      );
      expect(codes(refused)).toContain('CASE_CLOSED');
      expect(refused.data?.caseByReference ?? null).toBeNull();
    }
  });

  it("another agency's case system finds it closed, even naming the linked reference", async () => {
    for (const other of [policeSystem, earlyHelpSystem]) {
      const body = await asCaseSystem(
        other,
        'CaseSystemHistory',
        'CSC-HANDOVER-1',
        handedToSocialCare,
      );
      expect(codes(body)).toContain('CASE_CLOSED');
      expect(body.data?.caseByReference ?? null).toBeNull();
    }
  });

  it('the linked case system finds a case handed to another service closed, and is told whose it is', async () => {
    const body = await asCaseSystem(
      socialCareSystem,
      'CaseSystemHistory',
      'CSC-HANDOVER-2',
      handedToEarlyHelp,
    );
    expect(codes(body)).toContain('CASE_CLOSED');
    expect(body.data?.caseByReference ?? null).toBeNull();
    expect(body.errors?.[0].extensions?.release).toMatch(/early-help.*EARLY_HELP.*CASE_HISTORY/);
  });

  it('the receiving case system cannot reach a decided case not linked to it: NOT_ASSIGNED', async () => {
    const body = await asCaseSystem(socialCareSystem, 'CaseSystemHistory', notLinked, notLinked);
    expect(codes(body)).toContain('NOT_ASSIGNED');
    expect(JSON.stringify(body)).not.toMatch(/"givenName"|"subjects"/);
    // Nor by naming it while declaring a case of its own.
    const named = await asCaseSystem(
      socialCareSystem,
      'CaseSystemHistory',
      'CSC-HANDOVER-1',
      notLinked,
    );
    expect(codes(named)).toContain('NOT_ASSIGNED');
    expect(named.data?.caseByReference ?? null).toBeNull();
  });

  it('researchers, the manager and the referrer still find the decided case closed', async () => {
    const team = (await cases().findOneByOrFail({ reference: handedToSocialCare })).teams[0];
    const QUERY = `query ($r: String!) { caseByReference(reference: $r) { reference subjects { givenName } } }`;
    const researcher = await requestHeaders(
      {
        userId: 'researcher.social-care',
        role: Role.AGENCY_RESEARCHER,
        agency: 'social-care',
        team,
      },
      Purpose.AGENCY_CHECK,
      handedToSocialCare,
    );
    expect(codes(await call(QUERY, { r: handedToSocialCare }, researcher))).toContain(
      'CASE_CLOSED',
    );
    expect(
      codes(await call(QUERY, { r: handedToSocialCare }, await manager(handedToSocialCare))),
    ).toContain('CASE_CLOSED');
    const referrer = await requestHeaders(
      { userId: 'referrer.school', role: Role.REFERRER },
      Purpose.CASE_HISTORY,
      handedToSocialCare,
    );
    const refused = await call(QUERY, { r: handedToSocialCare }, referrer);
    expect(refused.data?.caseByReference ?? null).toBeNull();
    expect(codes(refused).length).toBeGreaterThan(0);
  });
});

describe('a new referral for a known person shows the manager the earlier MASH cases', () => {
  let earlier: string;
  let later: string;
  const EARLIER_CASES = `query ($r: String!) {
    caseByReference(reference: $r) {
      subjects { givenName earlierMashCases { reference status outcome receivingService decidedAt openedAt matchedBy } }
    }
  }`;
  beforeAll(async () => {
    earlier = await triagedCase([
      child,
      { ...parent, givenName: 'Petra', familyName: 'Knownbefore' },
    ]);
    expect(codes(await decide(earlier, 'EARLY_HELP_ASSESSMENT'))).toEqual([]);
    // The same child (NHS number), the same parent (no NHS number: name and date of birth, as
    // typed by another referrer), the child's twin and a sibling.
    const body = await call(
      SUBMIT,
      {
        referral: referral([
          child,
          { ...parent, givenName: ' petra ', familyName: 'KNOWNBEFORE' },
          twin,
          {
            ...child,
            roleInHousehold: 'SIBLING',
            givenName: 'Hollis',
            dateOfBirth: '2021-08-09',
            nhsNumber: null,
          },
        ]),
      },
      await requestHeaders({ userId: 'referrer.school', role: Role.REFERRER }, null, null),
    );
    later = body.data.submitReferral.caseReference;
  });

  const bySubject = (body: GraphQLBody) =>
    Object.fromEntries(
      body.data.caseByReference.subjects.map(
        (s: { givenName: string; earlierMashCases: unknown }) => [
          s.givenName.trim().toLowerCase(),
          s.earlierMashCases,
        ],
      ),
    );

  it('the manager sees the earlier case of the same parent (no NHS number), header and outcome only', async () => {
    const body = await call(EARLIER_CASES, { r: later }, await manager(later));
    expect(body.errors ?? []).toEqual([]); // the whole errors, messages too, if any
    const seen = bySubject(body);
    const header = {
      reference: earlier,
      status: 'DECIDED',
      outcome: 'EARLY_HELP_ASSESSMENT',
      receivingService: 'EARLY_HELP',
    };
    expect(seen.petra).toEqual([
      {
        ...header,
        matchedBy: 'NAME_AND_DATE_OF_BIRTH',
        openedAt: expect.any(String),
        decidedAt: expect.any(String),
      },
    ]);
    expect(JSON.stringify(body)).not.toMatch(/concerns|summary|rationale/);
  });

  it('the same child shows it by NHS number; a twin and a sibling of that child do not', async () => {
    const body = await call(EARLIER_CASES, { r: later }, await manager(later));
    const subjects = body.data.caseByReference.subjects as {
      givenName: string;
      earlierMashCases: { reference: string; matchedBy: string }[];
    }[];
    // Both are called Hollis: the sibling has another date of birth and no NHS number.
    const hollis = subjects.filter((s) => s.givenName === 'Hollis');
    expect(hollis.map((s) => s.earlierMashCases)).toEqual(
      expect.arrayContaining([
        [expect.objectContaining({ reference: earlier, matchedBy: 'NHS_NUMBER' })],
        [],
      ]),
    );
    expect(hollis).toHaveLength(2);
    expect(subjects.find((s) => s.givenName === 'Harper')!.earlierMashCases).toEqual([]);
    expect(JSON.stringify(subjects)).not.toContain(later);
  });

  it('a researcher on the case is refused the earlier cases (and keeps the rest); a referrer reaches nothing', async () => {
    const team = (await cases().findOneByOrFail({ reference: later })).teams[0];
    const researcher = await requestHeaders(
      { userId: 'researcher.health', role: Role.AGENCY_RESEARCHER, agency: 'health', team },
      Purpose.AGENCY_CHECK,
      later,
    );
    const body = await call(EARLIER_CASES, { r: later }, researcher);
    expect(codes(body)).toContain('NOT_PERMITTED');
    expect(
      body.data.caseByReference.subjects.map((s: { givenName: string }) => s.givenName),
    ).toContain('Harper');
    expect(JSON.stringify(body.data)).not.toContain(earlier);
    const referrer = await requestHeaders(
      { userId: 'referrer.school', role: Role.REFERRER },
      null,
      later,
    );
    const refused = await call(EARLIER_CASES, { r: later }, referrer);
    expect(refused.data?.caseByReference ?? null).toBeNull();
    expect(codes(refused).length).toBeGreaterThan(0);
    expect(JSON.stringify(refused)).not.toContain(earlier);
  });
});

describe("the manager links a case to its record in an agency's case system", () => {
  let decided: string;
  let other: string;
  beforeAll(async () => {
    decided = await triagedCase([{ ...child, givenName: 'Lou', nhsNumber: null }]);
    expect(codes(await decide(decided, 'CHILD_AND_FAMILY_ASSESSMENT'))).toEqual([]);
    other = await triagedCase([{ ...child, givenName: 'Max', nhsNumber: null }], {
      system: 'social-care',
      reference: 'CSC-LINK-OTHER',
    });
  });

  it('links a case after its decision, and the receiving case system then pulls it', async () => {
    // Not linked yet: the case system cannot name it by a reference no case has.
    const before = await asCaseSystem(socialCareSystem, 'CaseSystemHistory', 'CSC-LINK-1', decided);
    expect(before.data?.caseByReference ?? null).toBeNull();
    const linked = await linkToCaseSystem(decided, {
      system: 'social-care',
      reference: 'CSC-LINK-1',
    });
    expect(codes(linked)).toEqual([]);
    expect(linked.data.linkCaseToCaseSystem).toEqual({
      caseReference: decided,
      system: 'social-care',
      reference: 'CSC-LINK-1',
    });
    const after = await asCaseSystem(socialCareSystem, 'CaseSystemHistory', 'CSC-LINK-1', decided);
    expect(codes(after)).toEqual([]);
    expect(after.data.caseByReference.reference).toBe(decided);
    // The same link again changes nothing.
    expect(
      codes(await linkToCaseSystem(decided, { system: 'social-care', reference: 'CSC-LINK-1' })),
    ).toEqual([]);
  });

  it('refuses a reference that names another case, and a second link for a linked case: CONFLICT', async () => {
    for (const link of [
      { system: 'social-care', reference: 'CSC-LINK-OTHER' },
      { system: 'early-help', reference: 'EH-LINK-9' },
    ]) {
      const body = await linkToCaseSystem(decided, link);
      expect(codes(body)).toEqual(['CONFLICT']);
      expect(body.data?.linkCaseToCaseSystem ?? null).toBeNull();
    }
    const kept = await cases().findOneBy({ reference: decided });
    expect([kept!.externalSystem, kept!.externalReference]).toEqual(['social-care', 'CSC-LINK-1']);
    const untouched = await cases().findOneBy({ reference: other });
    expect(untouched!.externalReference).toBe('CSC-LINK-OTHER');
  });

  it.each([
    ['system', { system: 'childrens-services', reference: 'CSC-LINK-2' }],
    ['systemReference', { system: 'social-care', reference: 'MASH-2026-000001' }],
    ['systemReference', { system: 'social-care', reference: ' ' }],
    ['systemReference', { system: 'social-care', reference: 'CSC LINK; DROP' }],
  ])('refuses a bad %s, naming the argument', async (argument, link) => {
    const fresh = await triagedCase([{ ...child, givenName: 'Ned', nhsNumber: null }]);
    const body = await linkToCaseSystem(fresh, link);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expect((await cases().findOneBy({ reference: fresh }))!.externalReference).toBeNull();
  });

  it("is the manager's: a researcher and a case system are refused", async () => {
    const fresh = await triagedCase([{ ...child, givenName: 'Oli', nhsNumber: null }]);
    const researcher = await requestHeaders(
      {
        userId: 'researcher.social-care',
        role: Role.AGENCY_RESEARCHER,
        agency: 'social-care',
        team: (await cases().findOneBy({ reference: fresh }))!.teams[0],
      },
      Purpose.AGENCY_CHECK,
      fresh,
    );
    const body = await linkToCaseSystem(
      fresh,
      { system: 'social-care', reference: 'CSC-LINK-3' },
      researcher,
    );
    expect(codes(body)).toEqual(['NOT_PERMITTED']);
    expect((await cases().findOneBy({ reference: fresh }))!.externalReference).toBeNull();
  });
});
