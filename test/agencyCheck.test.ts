import { getNamedType, getNullableType, GraphQLObjectType, isListType } from 'graphql';
import { AgencyPerson } from '../schema/agencyPerson';
import { AGENCIES } from '../subgraphs/agencies';
import { apiSchemaOf } from './operationGenerator';
import { stableUuid } from '../synthetic/stableUuid';
import { ageOn, SyntheticFamily } from '../synthetic/population';
import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { startTestSystem } from './testSystem';
import { agencyCheckQuery } from '../gateway/exampleQuery';
import { caseReference } from '../subgraphs/mash/data';
import { Purpose, Role } from '../policies/roles';
import { caseStatus, MASH_TEAMS } from '../subgraphs/mash/data';
import { CaseStatus } from '../subgraphs/mash/entities';
import { GraphQLBody, postGraphQL, requestHeaders } from './graphqlClient';

/** Every agency's check field on Subject (`police`, `socialCare` …), from the registry. */
const AGENCY_CHECKS = AGENCIES.map((a) => a.policy.checkField);
const SUBGRAPH_OF = Object.fromEntries(AGENCIES.map((a) => [a.policy.checkField, a.name]));
/** Each agency check's record lists, read from the API schema (filled in `beforeAll`). */
const RECORD_LISTS: Record<string, string[]> = {};

let system: EmbeddedSystem;

beforeAll(async () => {
  system = await startTestSystem({ port: 0, seed: 11, families: 40, subgraphTimeoutMs: 2000 });
  const subject = apiSchemaOf(system.gateway.supergraphSdl).getType('Subject') as GraphQLObjectType;
  for (const field of AGENCY_CHECKS) {
    const check = getNamedType(subject.getFields()[field].type) as GraphQLObjectType;
    RECORD_LISTS[field] = Object.values(check.getFields())
      .filter((f) => isListType(getNullableType(f.type)) && f.name !== 'differences')
      .map((f) => f.name);
  }
  // These tests are about finding records, not about consent: where a family did not consent,
  // the manager records a ground for sharing without it (the policies are tested elsewhere).
  for (const family of referred().filter((f) => f.referral!.consent !== 'GIVEN')) {
    const { body } = await postGraphQL(
      system.gateway.url,
      'mutation ($ref: String!) { recordSharingGround(caseReference: $ref, ground: SIGNIFICANT_HARM_TO_CHILD, reason: "Test: risk of significant harm to the child.") { ground authorisedBy } }',
      { ref: caseReference(family.index) },
      await managerHeaders(family),
    );
    expect(body.data.recordSharingGround).toEqual({
      ground: 'SIGNIFICANT_HARM_TO_CHILD',
      authorisedBy: 'manager.test',
    });
  }
});
afterAll(() => system?.stop());

// Referred families whose case is open (a closed case's records are refused: see the policy tests).
const referred = () =>
  system.population.filter((f) => f.referral && caseStatus(f.index) === CaseStatus.OPEN);
const managerHeaders = (family: SyntheticFamily) =>
  requestHeaders(
    {
      userId: 'manager.test',
      role: Role.MASH_MANAGER,
      team: MASH_TEAMS[family.index % MASH_TEAMS.length],
    },
    Purpose.AGENCY_CHECK,
    caseReference(family.index),
  );

/** Errors other than the policies' own denials, which name their rule (detail, refuge addresses…). */
const unexpectedErrors = (body: GraphQLBody) =>
  (body.errors ?? []).filter((e) => !e.extensions?.rule);
const subgraph = (name: string) => system.subgraphs.find((s) => s.name === name)!;

async function agencyChecks(family: SyntheticFamily) {
  const { status, body } = await postGraphQL(
    system.gateway.url,
    agencyCheckQuery(caseReference(family.index)),
    undefined,
    await managerHeaders(family),
  );
  expect(status).toBe(200);
  return body;
}

/** Whether the agency holds the subject's true person (the generator's ground truth). */
async function agencyHolds(agency: string, personKey: string): Promise<boolean> {
  const { dataSource } = subgraph(SUBGRAPH_OF[agency]).database;
  const personIndex = dataSource.entityMetadatas.find(
    (m) => m.target instanceof Function && m.target.prototype instanceof AgencyPerson,
  )!;
  return dataSource
    .getRepository(personIndex.target)
    .existsBy({ id: stableUuid(SUBGRAPH_OF[agency], personKey) });
}

describe('the composed supergraph', () => {
  it('joins every agency subgraph and every agency check on Subject', () => {
    const sdl = system.gateway.supergraphSdl;
    for (const name of ['mash', ...AGENCIES.map((a) => a.name), 'audit']) {
      expect(sdl).toContain(`name: "${name}"`);
    }
    for (const agency of AGENCIES) {
      const checkType = Object.keys(agency.policy.fieldTiers).find((t) => t.endsWith('Check'));
      expect(sdl).toContain(`${agency.policy.checkField}: ${checkType}`);
    }
  });
});

describe('the agency-check query for a case', () => {
  it("returns each agency's records for a child every agency matches with certainty", async () => {
    // Domestic abuse: police recorded incidents with the children present.
    // A possible match shares no records (test/unverifiedMatch.test.ts), so the child is one whose
    // police, health and education records each match certainly (NHS number, or names, date of
    // birth and postcode all equal).
    const certain = (check: { status: string; match: { needsVerification: boolean } | null }) =>
      check.status === 'FOUND' && check.match?.needsVerification === false;
    const candidates = referred().filter((f) => f.concern === 'DOMESTIC_ABUSE');
    let subject = null;
    for (const family of candidates) {
      const body = await agencyChecks(family);
      expect(unexpectedErrors(body)).toEqual([]);
      expect(body.data.caseByReference.subjects).toHaveLength(family.members.length);
      const children = family.members.filter(
        (m) => ageOn(m.dateOfBirth) >= 5 && ageOn(m.dateOfBirth) <= 16,
      );
      subject = body.data.caseByReference.subjects.find(
        (s: Record<string, never> & { id: string }) =>
          children.some((c) => s.id === stableUuid('mash', 'subject', c.personKey)) &&
          certain(s.police) &&
          certain(s.health) &&
          certain(s.education),
      );
      if (subject) break;
    }
    expect(subject).toBeTruthy();
    expect(subject.health.gpPractice).toEqual(expect.any(String));
    expect(subject.education.attendance).toHaveLength(3);
    expect(subject.police.incidents.length).toBeGreaterThan(0);
    for (const agency of AGENCY_CHECKS) {
      const check = subject[agency];
      expect(check.checkedAt).toEqual(expect.any(String));
      if (check.status === 'FOUND') {
        expect(check.match.confidence).toBeGreaterThanOrEqual(0.6);
        expect(typeof check.match.needsVerification).toBe('boolean');
      }
    }
  });

  it('finds a subject exactly when the agency holds that person, across every referred family', async () => {
    let found = 0;
    let missed = 0;
    let possible = 0;
    for (const family of referred()) {
      const body = await agencyChecks(family);
      expect(unexpectedErrors(body)).toEqual([]);
      for (const member of family.members) {
        const subject = body.data.caseByReference.subjects.find(
          (s: { id: string }) => s.id === stableUuid('mash', 'subject', member.personKey),
        );
        for (const agency of AGENCY_CHECKS) {
          const check = subject[agency];
          const truePerson = stableUuid(SUBGRAPH_OF[agency], member.personKey);
          if (check.status === 'FOUND') {
            // Never another person's record: a wrong-person match is a breach and a safeguarding risk.
            expect(check.match.recordReference).toBe(truePerson);
            // Records only with a certain match; a possible one is withheld until it is verified.
            if (check.match.needsVerification) {
              for (const records of RECORD_LISTS[agency]) expect(check[records]).toBeNull();
              expect(check.reason).toMatch(/verifies/);
              possible += 1;
            } else {
              for (const records of RECORD_LISTS[agency])
                expect(check[records]).toEqual(expect.any(Array));
              expect(check.reason).toBeNull();
            }
            found += 1;
          } else {
            expect(check.status).toBe('NONE_FOUND');
            if (await agencyHolds(agency, member.personKey)) missed += 1;
          }
        }
      }
    }
    // Identity noise makes a few true records unfindable without a human; almost all must be found.
    expect(found).toBeGreaterThan(50);
    expect(missed / (found + missed)).toBeLessThan(0.05);
    // Identity noise makes many matches possible only: both kinds are exercised.
    expect(possible).toBeGreaterThan(5);
    expect(possible).toBeLessThan(found);
  });

  it('answers NONE_FOUND from every agency for a family new to the area', async () => {
    const family = referred().find((f) => f.newToArea)!;
    const body = await agencyChecks(family);
    expect(unexpectedErrors(body)).toEqual([]);
    for (const subject of body.data.caseByReference.subjects) {
      for (const agency of AGENCY_CHECKS) {
        expect(subject[agency]).toMatchObject({ status: 'NONE_FOUND', match: null, reason: null });
        // No records is empty lists, never null (null is withheld).
        for (const records of RECORD_LISTS[agency]) expect(subject[agency][records]).toEqual([]);
      }
    }
  });

  it('costs each agency the same number of database queries whatever the household size', async () => {
    // Per agency, compare households in which that agency matched someone certainly: a household
    // with no match there, or only possible ones, rightly skips its record queries.
    const knownTo = new Map<string, SyntheticFamily[]>(AGENCY_CHECKS.map((a) => [a, []]));
    for (const family of referred()) {
      const subjects = (await agencyChecks(family)).data.caseByReference.subjects;
      for (const agency of AGENCY_CHECKS) {
        const certain = subjects.some(
          (s: Record<string, { status: string; match: { needsVerification: boolean } | null }>) =>
            s[agency].status === 'FOUND' && s[agency].match?.needsVerification === false,
        );
        if (certain) knownTo.get(agency)!.push(family);
      }
    }

    // Reads only: an agency also writes down which flagged records a check disclosed to the case
    // (an insert, and only when the household has flagged records), which is not a search cost.
    const measured = new Map<SyntheticFamily, Map<string, number>>();
    const queriesFor = async (family: SyntheticFamily) => {
      if (!measured.has(family)) {
        for (const s of system.subgraphs) s.database.queries.recent = [];
        await agencyChecks(family);
        measured.set(
          family,
          new Map(
            system.subgraphs.map((s) => [
              s.name,
              s.database.queries.recent.filter((q) => !/^\s*INSERT\b/i.test(q.query)).length,
            ]),
          ),
        );
      }
      return measured.get(family)!;
    };
    const compare = async (name: string, families: SyntheticFamily[]) => {
      const bySize = [...families].sort((a, b) => a.members.length - b.members.length);
      const [smallest, largest] = [bySize[0], bySize[bySize.length - 1]];
      // One more person is enough to show a query per subject, which would cost the larger more.
      expect({ name, larger: largest.members.length > smallest.members.length }).toEqual({
        name,
        larger: true,
      });
      const small = (await queriesFor(smallest)).get(name);
      const large = (await queriesFor(largest)).get(name);
      expect({ name, count: large }).toEqual({ name, count: small });
      return large!;
    };
    for (const agency of AGENCIES) {
      // One person-index search plus one query per kind of record (at most four).
      const count = await compare(agency.name, knownTo.get(agency.policy.checkField)!);
      expect({ agency: agency.name, count: count <= 5 }).toEqual({
        agency: agency.name,
        count: true,
      });
    }
    // The hub: the case's access facts, grounds and decision for the gateway, the case, household,
    // referral, and the protected addresses the household could be at (one query). The audit
    // store: one append (begin, chain lock, last record, insert, commit).
    expect(await compare('mash', referred())).toBeLessThanOrEqual(7);
    expect(await compare('audit', referred())).toBeLessThanOrEqual(5);
  });
});
