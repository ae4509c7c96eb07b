import type { Repository } from 'typeorm';
import { AgencyDatabase, openEmbeddedAgencyDatabase } from '../../database/agencyDataSource';
import { EmbeddedPostgres } from '../../database/embeddedPostgres';
import { BLOCKING_RULES, blockingKeysOf } from '../../identity/blocking';
import { bestMatch } from '../../identity/matchIdentity';
import { police } from '../../subgraphs/police';
import { PolicePerson } from '../../subgraphs/police/entities';
import { MatchBasis } from '../agencyCheck';
import { createAgencyCheckLoader, findCandidates } from '../agencyCheckLoader';
import { withBlockingKeys } from '../agencyPerson';
import { MatchDecisionKind, RequiredDemographics, Sex, SubjectDemographics } from '../subject';

/**
 * The shared agency-check loader on a real (embedded) PostgreSQL person index: what blocking
 * fetches, and how people's decisions on possible matches change what the check shares.
 */
let embedded: EmbeddedPostgres;
let database: AgencyDatabase;
let people: Repository<PolicePerson>;

const OLIVER = {
  id: '00000000-0000-4000-8000-000000000001',
  givenName: 'Oliver',
  familyName: 'Smith',
  dateOfBirth: '2015-04-09',
  sex: 'MALE',
  postcode: 'LS6 2AB',
  nhsNumber: '999 123 4578', // as one agency stores it, with spaces
};
// Another child in the same street with the same date of birth: never Oliver.
const AMELIA = {
  ...OLIVER,
  id: '00000000-0000-4000-8000-000000000002',
  givenName: 'Amelia',
  familyName: 'Khan',
  sex: 'FEMALE',
  nhsNumber: '9434765919',
};
// Born the same day in another city: different names, different postcode.
const STRANGER = {
  ...OLIVER,
  id: '00000000-0000-4000-8000-000000000003',
  givenName: 'George',
  familyName: 'Brown',
  postcode: 'M1 1AE',
  nhsNumber: null,
};
// Oliver's twin brother: the same everything but his given name.
const HARRY = {
  ...OLIVER,
  id: '00000000-0000-4000-8000-000000000004',
  givenName: 'Harry',
  nhsNumber: null,
};

beforeAll(async () => {
  embedded = await EmbeddedPostgres.start();
  database = await openEmbeddedAgencyDatabase(embedded, 'police', police.entities);
  people = database.dataSource.getRepository(PolicePerson);
  await people.insert([OLIVER, AMELIA, STRANGER, HARRY].map(withBlockingKeys));
}, 60_000);
afterAll(async () => {
  await database?.dataSource.destroy();
  await embedded?.close();
});

const referral = (subject: Partial<SubjectDemographics>): SubjectDemographics => ({
  id: 'subject-1',
  givenName: 'Oliver',
  familyName: 'Smith',
  dateOfBirth: null,
  sex: Sex.MALE,
  postcode: null,
  nhsNumber: null,
  ...subject,
});
const fetched = async (subject: SubjectDemographics) =>
  (await findCandidates(people, [subject])).map((p) => p.givenName).sort();

function loader() {
  return createAgencyCheckLoader<PolicePerson, { incidents: string[] }>({
    agency: 'police',
    people,
    noRecords: { incidents: [] },
    loadRecords: async (matched) =>
      new Map(matched.map((p) => [p.id, { incidents: [`incident of ${p.givenName}`] }])),
  });
}
const asRequired = (
  subject: SubjectDemographics,
  matchDecisions: RequiredDemographics['matchDecisions'] = [],
): RequiredDemographics => ({
  ...subject,
  matchingPostcode: subject.postcode,
  matchDecisions,
});

describe('the person index', () => {
  it('holds every row with the keys blocking computes from its own demographics', async () => {
    for (const row of await people.find()) {
      const stored = Object.fromEntries(BLOCKING_RULES.map((rule) => [rule, row[rule]]));
      expect(stored).toEqual(blockingKeysOf(row));
    }
    expect((await people.findOneByOrFail({ id: OLIVER.id })).nhsNumberKey).toBe('9991234578');
  });
});

describe('blocking fetches the records real errors leave behind', () => {
  it('a one-digit date-of-birth typo together with a move, no NHS number', async () => {
    const subject = referral({ dateOfBirth: '2015-04-08', postcode: 'BD1 1AA' });
    expect(await fetched(subject)).toContain('Oliver');
    // Scored: the check answers exactly what the matcher says of what was fetched.
    const check = await loader().load(asRequired(subject));
    const scored = bestMatch(subject, await findCandidates(people, [subject]));
    expect(check.match?.recordReference ?? null).toBe(scored?.record.id ?? null);
  });

  it('a postcode written without its space ("LS62AB" finds "LS6 2AB")', async () => {
    const subject = referral({ postcode: 'LS62AB' });
    expect(await fetched(subject)).toEqual(['Oliver']);
    const check = await loader().load(asRequired(subject));
    expect(check).toMatchObject({ status: 'FOUND', match: { recordReference: OLIVER.id } });
  });

  it('an NHS number the agency stored with spaces', async () => {
    const subject = referral({ nhsNumber: '9991234578', postcode: 'BD1 1AA' });
    expect(await fetched(subject)).toContain('Oliver');
    const check = await loader().load(asRequired({ ...subject, dateOfBirth: OLIVER.dateOfBirth }));
    expect(check).toMatchObject({
      status: 'FOUND',
      match: { recordReference: OLIVER.id, basis: MatchBasis.NHS_NUMBER },
    });
  });

  it('given and family names recorded the other way round, after a move', async () => {
    const subject = referral({
      givenName: 'Smith',
      familyName: 'Oliver',
      dateOfBirth: OLIVER.dateOfBirth,
      postcode: 'BD1 1AA',
    });
    expect(await fetched(subject)).toContain('Oliver');
  });

  it('does not fetch everyone born that day: only records sharing a name or the address', async () => {
    const subject = referral({ dateOfBirth: OLIVER.dateOfBirth, postcode: 'BD1 1AA' });
    const found = await fetched(subject);
    expect(found).toContain('Oliver');
    expect(found).not.toContain('George');
  });

  it('searches the index with one statement for a whole household', async () => {
    database.queries.recent = [];
    const household = [
      referral({ id: 's1', dateOfBirth: OLIVER.dateOfBirth }),
      referral({ id: 's2', givenName: 'Amelia', familyName: 'Khan', postcode: 'LS6 2AB' }),
      referral({ id: 's3', givenName: 'George', familyName: 'Brown', nhsNumber: '9434765919' }),
    ];
    const l = loader();
    await Promise.all(household.map((s) => l.load(asRequired(s))));
    const searches = database.queries.recent.filter((q) =>
      /FROM "police"\."police_person"/.test(q.query),
    );
    expect(searches).toHaveLength(1);
    // Every rule is one indexed array of keys: no scan by date of birth or postcode alone.
    const where = searches[0].query.slice(searches[0].query.indexOf(' WHERE '));
    for (const rule of BLOCKING_RULES) expect(where).toContain(`."${rule}" = ANY(`);
    expect(where).not.toMatch(/"(dateOfBirth|postcode|givenName|familyName|nhsNumber)"/);
    // One parameter per rule, however many keys the household brings.
    expect(searches[0].parameters).toHaveLength(BLOCKING_RULES.length);
    expect((searches[0].parameters as string[][]).flat().length).toBeGreaterThan(20);
  });
});

describe("people's decisions on a possible match", () => {
  // Names only, no date of birth, NHS number or address: at most a possible match (identity only)
  // to Oliver, however rare the names (identity/matchIdentity.ts, what a certain match needs).
  const possible = referral({});

  it('before any decision: a possible match shares identity only', async () => {
    const check = await loader().load(asRequired(possible));
    expect(check.match).toMatchObject({ recordReference: OLIVER.id, needsVerification: true });
    expect(() => check.incidents).toThrow(/possible match/);
  });

  it('a confirmed record is shared as certain, its basis saying a person confirmed it', async () => {
    const check = await loader().load(
      asRequired(possible, [
        { agency: 'police', recordReference: OLIVER.id, decision: MatchDecisionKind.CONFIRMED },
      ]),
    );
    expect(check).toMatchObject({
      status: 'FOUND',
      reason: null,
      match: {
        recordReference: OLIVER.id,
        basis: MatchBasis.CONFIRMED_BY_PERSON,
        needsVerification: false,
        confidence: 1,
      },
      incidents: ['incident of Oliver'],
    });
  });

  it('a rejected record is never proposed again: the next candidate, or none', async () => {
    const check = await loader().load(
      asRequired(possible, [
        { agency: 'police', recordReference: OLIVER.id, decision: MatchDecisionKind.REJECTED },
      ]),
    );
    expect(check.match?.recordReference).not.toBe(OLIVER.id);
    expect(check).toMatchObject({ status: 'NONE_FOUND', match: null });
  });

  it("ignores another agency's decisions, and a confirmation of a record not proposed for the subject", async () => {
    for (const decision of [
      { agency: 'health', recordReference: OLIVER.id, decision: MatchDecisionKind.CONFIRMED },
      // Harry is Oliver's twin: a reference to his record must not bring his records to Oliver.
      { agency: 'police', recordReference: HARRY.id, decision: MatchDecisionKind.CONFIRMED },
      { agency: 'police', recordReference: STRANGER.id, decision: MatchDecisionKind.CONFIRMED },
    ]) {
      const check = await loader().load(asRequired(possible, [decision]));
      expect(check.match).toMatchObject({ recordReference: OLIVER.id, needsVerification: true });
    }
  });
});
