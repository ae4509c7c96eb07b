import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { UNVERIFIED_MATCH_POLICY } from '../policies/unverifiedMatch';
import { Purpose, Role } from '../policies/roles';
import { DEFAULT_MATCH_MODEL } from '../identity/matchIdentity';
import { createAgencyCheckLoader } from '../schema/agencyCheckLoader';
import type { Repository } from 'typeorm';
import { openEmbeddedAgencyDatabase } from '../database/agencyDataSource';
import { EmbeddedPostgres } from '../database/embeddedPostgres';
import { AgencyPerson, withBlockingKeys } from '../schema/agencyPerson';
import { ageOn, SyntheticPerson } from '../synthetic/population';
import { stableUuid } from '../synthetic/stableUuid';
import { agencyOfCheckField } from '../subgraphs/agencies';
import { MASH_TEAMS } from '../subgraphs/mash/data';
import { Pupil } from '../subgraphs/education/entities';
import { HealthContact, HealthPatient } from '../subgraphs/health/entities';
import { PoliceInvolvement, PolicePerson } from '../subgraphs/police/entities';
import { SocialCareEpisode, SocialCarePerson } from '../subgraphs/social-care/entities';
import { GraphQLBody, postGraphQL, requestHeaders } from './graphqlClient';
import { startTestSystem } from './testSystem';
import { AuditRecord } from '../subgraphs/audit/entities';

/**
 * Unverified means identity only (policies/unverifiedMatch.ts): a referral naming a common family
 * name and another family's child's first name and date of birth is a possible match at every
 * agency, and must bring back none of that child's records until a person verifies the match.
 */
let system: EmbeddedSystem;
beforeAll(async () => {
  system = await startTestSystem({ port: 0, seed: 11, families: 40, subgraphTimeoutMs: 3000 });
});
afterAll(() => system?.stop());

const call = async (
  text: string,
  variables: Record<string, unknown>,
  headers: Promise<Record<string, string>>,
): Promise<GraphQLBody> =>
  (await postGraphQL(system.gateway.url, text, variables, await headers)).body;
const manager = (team: string, reference: string) =>
  requestHeaders(
    { userId: `manager.${team}`, role: Role.MASH_MANAGER, team },
    Purpose.AGENCY_CHECK,
    reference,
  );
const dataSourceOf = (name: string) =>
  system.subgraphs.find((s) => s.name === name)!.database.dataSource;

/** The child's records as each agency holds them: what must not leave with a possible match. */
interface KnownChild {
  child: SyntheticPerson;
  incidentSummaries: string[];
  school: string;
  episodeOutcomes: string[];
  episodeKinds: string[];
  gpPractice: string;
  healthServices: string[];
}

/**
 * A child every agency holds under her true first name and date of birth, with police incidents, a
 * school and social-care episodes: the child a fishing referral would reach.
 */
async function childKnownEverywhere(): Promise<KnownChild> {
  for (const family of system.population) {
    for (const child of family.members) {
      const age = ageOn(child.dateOfBirth);
      if (age < 5 || age > 15 || child.familyName === 'Smith') continue;
      const same = (p: AgencyPerson | null) =>
        p?.givenName === child.givenName && p.dateOfBirth === child.dateOfBirth;
      const police = await dataSourceOf('police')
        .getRepository(PolicePerson)
        .findOneBy({ id: stableUuid('police', child.personKey) });
      const pupil = await dataSourceOf('education')
        .getRepository(Pupil)
        .findOneBy({ id: stableUuid('education', child.personKey) });
      const socialCare = await dataSourceOf('social-care')
        .getRepository(SocialCarePerson)
        .findOneBy({ id: stableUuid('social-care', child.personKey) });
      const patient = await dataSourceOf('health')
        .getRepository(HealthPatient)
        .findOneBy({ id: stableUuid('health', child.personKey) });
      if (![police, pupil, socialCare, patient].every(same) || !pupil!.school) continue;
      const involvements = await dataSourceOf('police')
        .getRepository(PoliceInvolvement)
        .find({ where: { personId: police!.id }, relations: { incident: true } });
      const episodes = await dataSourceOf('social-care')
        .getRepository(SocialCareEpisode)
        .findBy({ personId: socialCare!.id });
      const contacts = await dataSourceOf('health')
        .getRepository(HealthContact)
        .findBy({ patientId: patient!.id });
      if (involvements.length === 0 || episodes.length === 0) continue;
      return {
        child,
        incidentSummaries: involvements.map((i) => i.incident.summary),
        school: pupil!.school!,
        episodeOutcomes: episodes.map((e) => e.outcome),
        episodeKinds: episodes.map((e) => e.kind).filter((k) => k !== 'REFERRAL'),
        gpPractice: patient!.gpPractice,
        healthServices: contacts.map((c) => c.service),
      };
    }
  }
  throw new Error('no child is known to every agency in this population');
}

const SUBMIT = `mutation ($referral: ReferralInput!) { submitReferral(referral: $referral) { caseReference } }`;
const TRIAGE = `mutation ($case: String!) {
  triageReferral(caseReference: $case, rag: AMBER, threshold: COMPLEX, reason: "A child named by a neighbour; checks needed today.") { reference }
}`;
const CONSENT = `mutation ($case: String!) {
  recordConsent(caseReference: $case, state: GIVEN, notes: "Mother agreed on the phone to the MASH checks.") { state }
}`;

/** Every agency's check with every record field, asked plainly, aliased and through fragments. */
const CHECKS = `query Checks($ref: String!) {
  caseByReference(reference: $ref) {
    subjects {
      id givenName
      socialCare { ...identity episodes { kind startDate outcome } history: episodes { kind } }
      police { ...identity incidents { type summary occurredAt } ...arrests }
      health { ...identity gpPractice registeredSince contacts { kind service summary } }
      education { ...identity ...schooling }
    }
  }
}
fragment identity on AgencyCheck {
  agency status reason checkedAt
  match { confidence basis needsVerification differences recordReference otherCandidates }
}
fragment arrests on PoliceCheck { arrests { offence outcome } }
fragment schooling on EducationCheck {
  school senStatus electiveHomeEducationSince missingEducationSince
  attendance { term attendancePercent } exclusions { kind reason }
}`;

/** Each agency check's record fields, as the CHECKS query names them (its response keys). */
const RECORD_FIELDS = {
  socialCare: ['episodes', 'history'],
  police: ['incidents', 'arrests'],
  health: ['gpPractice', 'registeredSince', 'contacts'],
  education: [
    'school',
    'senStatus',
    'electiveHomeEducationSince',
    'missingEducationSince',
    'attendance',
    'exclusions',
  ],
} as const;
type AgencyField = keyof typeof RECORD_FIELDS;

async function referAndCheck(subject: Record<string, unknown>) {
  const submitted = await call(
    SUBMIT,
    {
      referral: {
        referrerType: 'OTHER',
        referrerName: 'A Neighbour',
        referrerContact: 'neighbour@synthetic.example',
        concerns: 'A girl next door is often left alone late into the evening.',
        immediateRisk: false,
        consentSought: false,
        consentNotes: 'A neighbour: not in touch with the family.',
        subjects: [{ roleInHousehold: 'CHILD', ...subject }],
      },
    },
    requestHeaders({ userId: 'neighbour.synthetic', role: Role.REFERRER }, null, null),
  );
  expect(submitted.errors).toBeUndefined();
  const reference: string = submitted.data.submitReferral.caseReference;
  for (const team of MASH_TEAMS) {
    const triaged = await call(TRIAGE, { case: reference }, manager(team, reference));
    if (triaged.errors?.[0]?.extensions?.code === 'NOT_ASSIGNED') continue;
    expect(triaged.errors).toBeUndefined();
    const consent = await call(CONSENT, { case: reference }, manager(team, reference));
    expect(consent.data.recordConsent).toEqual({ state: 'GIVEN' });
    const body = await call(CHECKS, { ref: reference }, manager(team, reference));
    expect(body.data.caseByReference.subjects).toHaveLength(1);
    return { body, subject: body.data.caseByReference.subjects[0] };
  }
  throw new Error(`${reference} is assigned to no team`);
}

describe('a possible match (a common name and a date of birth)', () => {
  let known: KnownChild;
  let body: GraphQLBody;
  let subject: Record<AgencyField, Record<string, unknown>>;

  beforeAll(async () => {
    known = await childKnownEverywhere();
    // "Smith" is not her family name: the referral is about someone else, or a guess.
    ({ body, subject } = await referAndCheck({
      givenName: known.child.givenName,
      familyName: 'Smith',
      dateOfBirth: known.child.dateOfBirth,
    }));
  });

  it('is FOUND at every agency, needs verification, and says why its records are withheld', () => {
    for (const agency of Object.keys(RECORD_FIELDS) as AgencyField[]) {
      const check = subject[agency];
      expect([agency, check.status]).toEqual([agency, 'FOUND']);
      expect(check.match).toMatchObject({
        needsVerification: true,
        recordReference: expect.any(String),
        differences: expect.arrayContaining([expect.stringContaining('family name')]),
      });
      expect(check.reason).toBe(UNVERIFIED_MATCH_POLICY.reason);
      expect(check.checkedAt).toEqual(expect.any(String));
    }
  });

  it('answers every record field null (never an empty list) with MATCH_NOT_VERIFIED at its path', () => {
    for (const agency of Object.keys(RECORD_FIELDS) as AgencyField[]) {
      for (const field of RECORD_FIELDS[agency]) {
        expect([agency, field, subject[agency][field]]).toEqual([agency, field, null]);
        const errors = (body.errors ?? []).filter(
          (e) => e.path?.join('.') === `caseByReference.subjects.0.${agency}.${field}`,
        );
        expect([agency, field, errors.map((e) => e.extensions)]).toEqual([
          agency,
          field,
          [
            expect.objectContaining({
              code: 'MATCH_NOT_VERIFIED',
              rule: 'unverified-match-identity-only',
              custodian: agencyOfCheckField(agency)!.name,
              release:
                "The agency's own MASH researcher, or the MASH manager, confirms the match for this case (confirmIdentityMatch); then the records follow.",
            }),
          ],
        ]);
      }
    }
  });

  it('audits the withheld records as refusals, by rule and custodian, not as shared', async () => {
    const store = dataSourceOf('audit');
    const [last] = await store.getRepository(AuditRecord).find({
      where: { operationName: 'Checks' },
      order: { sequence: 'DESC' },
      take: 1,
    });
    const refusals = last.denied.filter((d) => d.code === 'MATCH_NOT_VERIFIED');
    expect(refusals.map((d) => d.custodian).sort()).toEqual(
      expect.arrayContaining(['education', 'health', 'police', 'social-care']),
    );
    expect(refusals.every((d) => d.rule === 'unverified-match-identity-only')).toBe(true);
    expect(last.outcome).toBe('PARTIAL');
  });

  it("lets nothing of the other family's child's records out", () => {
    const json = JSON.stringify(body);
    const leaked = [
      ...known.incidentSummaries,
      known.school,
      ...known.episodeOutcomes,
      ...known.episodeKinds,
      known.gpPractice,
      ...known.healthServices,
    ].filter((content) => json.includes(content));
    expect(leaked).toEqual([]);
    expect(known.incidentSummaries.length + known.episodeOutcomes.length).toBeGreaterThan(1);
  });

  it('still shares the records of a certain match (the NHS number agrees)', async () => {
    const { child } = known;
    const { body: certain, subject: same } = await referAndCheck({
      givenName: child.givenName,
      familyName: child.familyName,
      dateOfBirth: child.dateOfBirth,
      nhsNumber: child.nhsNumber,
    });
    expect(same.health.match).toMatchObject({ basis: 'NHS_NUMBER', needsVerification: false });
    expect(same.health.reason).toBeNull();
    expect(same.health.gpPractice).toBe(known.gpPractice);
    expect(same.health.contacts).toEqual(expect.any(Array));
    expect(
      (certain.errors ?? []).filter((e) => e.extensions?.code === 'MATCH_NOT_VERIFIED'),
    ).toEqual(
      // Agencies without her NHS number match her on demographics: possible, so still withheld.
      (Object.keys(RECORD_FIELDS) as AgencyField[])
        .filter(
          (a) =>
            same[a].match && (same[a].match as { needsVerification: boolean }).needsVerification,
        )
        .flatMap((a) => RECORD_FIELDS[a].map(() => expect.anything())),
    );
  });
});

describe('the shared check loader', () => {
  // A real person index (the police's entity, in an embedded database of its own) holding two people.
  const P1 = '00000000-0000-4000-8000-0000000000a1';
  const P2 = '00000000-0000-4000-8000-0000000000a2';
  const person = (id: string, givenName: string, familyName: string) => ({
    id,
    givenName,
    familyName,
    dateOfBirth: '2015-04-03',
    sex: 'FEMALE',
    postcode: 'AB1 2CD',
    nhsNumber: null,
  });
  const subject = (id: string, givenName: string, familyName: string) => ({
    ...person(id, givenName, familyName),
    sex: null,
  });
  let embedded: EmbeddedPostgres;
  let people: Repository<AgencyPerson>;
  beforeAll(async () => {
    embedded = await EmbeddedPostgres.start();
    const database = await openEmbeddedAgencyDatabase(embedded, 'loader', [PolicePerson]);
    people = database.dataSource.getRepository(PolicePerson);
    await people.insert(
      [person(P1, 'Jenny', 'Jones'), person(P2, 'Amy', 'Brown')].map(withBlockingKeys),
    );
  });
  afterAll(async () => embedded?.close());

  it('never loads the records of an unverified match, and loads a certain one in the same batch', async () => {
    const asked: string[][] = [];
    const loader = createAgencyCheckLoader<AgencyPerson, { notes: string[] }>({
      agency: 'test',
      people,
      // Two people are too few to estimate a model from: the matcher's default one.
      matchModel: async () => DEFAULT_MATCH_MODEL,
      noRecords: { notes: [] },
      loadRecords: async (people) => {
        asked.push(people.map((p) => p.id));
        return new Map(people.map((p) => [p.id, { notes: [`note on ${p.id}`] }]));
      },
    });
    const [possible, certain] = await Promise.all([
      loader.load(subject('s1', 'Jenny', 'Smith')), // another family name: possible only
      loader.load(subject('s2', 'Amy', 'Brown')), // names, date of birth and postcode agree
    ]);
    expect(asked).toEqual([[P2]]);
    expect(possible).toMatchObject({ status: 'FOUND', reason: UNVERIFIED_MATCH_POLICY.reason });
    expect(possible.match?.needsVerification).toBe(true);
    expect(() => possible.notes).toThrow(
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'MATCH_NOT_VERIFIED' }),
      }),
    );
    // Exactly the policy's identity fields are on it; the record fields only throw.
    expect(Object.keys(possible).sort()).toEqual([...UNVERIFIED_MATCH_POLICY.sharedFields].sort());
    expect(certain).toMatchObject({ status: 'FOUND', reason: null, notes: [`note on ${P2}`] });
  });

  it("matches a subject whose postcode arrives as the hub's refusal as if the postcode were unknown", async () => {
    const loader = createAgencyCheckLoader<AgencyPerson, { notes: string[] }>({
      agency: 'test',
      people,
      matchModel: async () => DEFAULT_MATCH_MODEL,
      noRecords: { notes: [] },
      loadRecords: async () => new Map(),
    });
    const refusal = {
      message: 'This address is protected.',
      extensions: { code: 'PROTECTED_IDENTITY' },
    };
    const check = await loader.load({
      ...subject('s3', 'Amy', 'Brown'),
      postcode: refusal as never,
    });
    expect(check.match).toMatchObject({ basis: 'NAME_DOB' });
    expect(check.match?.differences).toContain('postcode not known on both');
    const unknown = await loader.load({ ...subject('s4', 'Amy', 'Brown'), postcode: null });
    expect(check.match).toEqual(unknown.match);
  });
});
