import { getNamedType, GraphQLObjectType } from 'graphql';
import { In } from 'typeorm';
import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { ConsentState, SharingGround } from '../policies/consent';
import { Purpose, Role } from '../policies/roles';
import { AGENCIES } from '../subgraphs/agencies';
import { caseStatus, MASH_TEAMS } from '../subgraphs/mash/data';
import { Case } from '../subgraphs/mash/entities/case';
import { Subject } from '../subgraphs/mash/entities/subject';
import { PoliceInvolvement, PolicePerson } from '../subgraphs/police/entities';
import type { SyntheticFamily } from '../synthetic/population';
import { postGraphQL, requestHeaders } from './graphqlClient';
import {
  CaseFixture,
  FlaggableRecordFixture,
  isProtectedAddress,
  OracleCaller,
  ProtectedAddressIndex,
  SubjectFixture,
  WITHHELD_UNTIL_RELEASED,
} from './leakOracle';
import { apiSchemaOf } from './operationGenerator';
import { qualified } from './testSystem';

/** Every agency's check field on Subject, from the registry. */
const CHECK_FIELDS = AGENCIES.map((a) => a.policy.checkField);

/**
 * The callers, consent configurations and cases of the differential leak test, shared with the
 * fuzz test: a case opened for a household, configured (triage, consent, a ground), and read back
 * from the hub's and the agencies' own stores as the oracle's fixture.
 */

export const TEAM = MASH_TEAMS[0];
export const OTHER_TEAM = MASH_TEAMS[1];
export const CASE_SYSTEM_AGENCY = 'social-care';

export const CALLERS: OracleCaller[] = [
  {
    name: 'MASH manager',
    role: Role.MASH_MANAGER,
    agency: null,
    team: TEAM,
    declares: 'hub reference',
  },
  {
    name: 'MASH manager of another team',
    role: Role.MASH_MANAGER,
    agency: null,
    team: OTHER_TEAM,
    declares: 'hub reference',
  },
  ...AGENCIES.map(({ name: agency }): OracleCaller => ({
    name: `${agency} researcher`,
    role: Role.AGENCY_RESEARCHER,
    agency,
    team: TEAM,
    declares: 'hub reference',
  })),
  {
    name: 'social care case system',
    role: Role.CASE_SYSTEM,
    agency: CASE_SYSTEM_AGENCY,
    team: null,
    declares: 'external reference',
  },
  {
    // Names social care's reference for the case: the reference is not its own agency's.
    name: 'police case system',
    role: Role.CASE_SYSTEM,
    agency: 'police',
    team: null,
    declares: 'external reference',
  },
  {
    name: 'IG officer',
    role: Role.IG_OFFICER,
    agency: null,
    team: null,
    declares: 'hub reference',
  },
  { name: 'referrer', role: Role.REFERRER, agency: null, team: null, declares: 'hub reference' },
];

/**
 * Consent configurations, each on its own case (grounds, once recorded, stay), each case triaged
 * to a different stage so that a purpose the stage does not justify is tried too.
 */
export const CONFIGURATIONS: {
  name: string;
  consent: ConsentState;
  ground: SharingGround | null;
  triage: { rag: string; threshold: string } | null;
  /** Whose household the case names: a refuge household, or one with flagged police records. */
  household?: 'refuge' | 'flagged police records';
}[] = [
  {
    name: 'consent given',
    consent: ConsentState.GIVEN,
    ground: null,
    triage: { rag: 'RED', threshold: 'CHILD_PROTECTION' },
  },
  {
    name: 'refused, no ground',
    consent: ConsentState.REFUSED,
    ground: null,
    triage: { rag: 'AMBER', threshold: 'COMPLEX' },
  },
  ...Object.values(SharingGround).map((ground, i) => ({
    name: `refused, ground ${ground}`,
    consent: ConsentState.REFUSED,
    ground,
    triage: [
      { rag: 'RED', threshold: 'CHILD_PROTECTION' },
      { rag: 'GREEN', threshold: 'EARLY_HELP' },
      { rag: 'AMBER', threshold: 'COMPLEX' },
      null,
    ][i],
  })),
  {
    name: 'not sought',
    consent: ConsentState.NOT_SOUGHT,
    ground: null,
    triage: { rag: 'RED', threshold: 'CHILD_PROTECTION' },
  },
  {
    // The refuge households have no flagged incident: this one does, so custodian release is tried.
    name: 'consent given, flagged police records',
    consent: ConsentState.GIVEN,
    ground: null,
    triage: { rag: 'RED', threshold: 'CHILD_PROTECTION' },
    household: 'flagged police records',
  },
];

/** The cases and fixtures of one running system; `refugeFamilies` are kept apart from the flagged one. */
export function leakFixtures(
  system: EmbeddedSystem,
  protectedIndex: ProtectedAddressIndex,
  refugeFamilies: SyntheticFamily[],
) {
  const manager = (reference: string | null) =>
    requestHeaders(
      { userId: 'manager.leaktest', role: Role.MASH_MANAGER, team: TEAM },
      Purpose.AGENCY_CHECK,
      reference,
    );

  async function asManager(
    query: string,
    variables: Record<string, unknown>,
    reference: string | null,
  ) {
    const { status, body } = await postGraphQL(
      system.gateway.url,
      query,
      variables,
      await manager(reference),
    );
    if (status !== 200 || body.errors?.length)
      throw new Error(`Setting up the leak test failed: ${JSON.stringify(body.errors ?? status)}`);
    return body.data;
  }

  /**
   * An open, referred household with a police incident its custodian has flagged, found from the
   * police's own store: the flagged incidents' people, recognised in the population by their date of
   * birth. Not a refuge household: the agencies match those without the postcode, so their matches
   * stay unverified and their records (flagged or not) never reach the custodian-release rule.
   */
  async function familyWithFlaggedPoliceRecords(): Promise<SyntheticFamily> {
    const police = system.subgraphs.find((s) => s.name === 'police')!.database.dataSource;
    const involvements = await police.getRepository(PoliceInvolvement).find({
      where: { incident: { requiresCustodianRelease: true } },
      relations: { incident: true },
    });
    const people = await police
      .getRepository(PolicePerson)
      .findBy({ id: In(involvements.map((i) => i.personId)) });
    const flagged = new Set(people.map((p) => p.dateOfBirth));
    const family = system.population.find(
      (f) =>
        f.referral &&
        caseStatus(f.index) === 'OPEN' &&
        !refugeFamilies.includes(f) &&
        f.members.some((m) => flagged.has(m.dateOfBirth)),
    );
    if (!family)
      throw new Error('No referred household has a flagged police record: change the seed.');
    return family;
  }

  /**
   * A new case for one configuration: a refuge household as its seeded referral gave it (the mother
   * flagged, the partner and children at the same address unflagged), plus a child of another family
   * named by name and date of birth only — a possible match (issue 12 #6).
   */
  async function openCase(
    index: number,
    family: SyntheticFamily,
    nhsNumbersKnown: boolean,
  ): Promise<{ reference: string; id: string }> {
    const other = system.population.find(
      (f) => !f.newToArea && f.index !== family.index && f.members.some((m) => m.role === 'CHILD'),
    )!;
    const child = other.members.find((m) => m.role === 'CHILD')!;
    const subjects = [
      ...family.referral!.subjects.map((s) => ({
        roleInHousehold: s.role,
        givenName: s.givenName,
        familyName: s.familyName,
        dateOfBirth: s.dateOfBirth,
        sex: s.sex,
        addressLine: s.addressLine,
        postcode: s.postcode,
        // A GP's referral knows everyone's NHS number: the matches are certain, the records flow.
        nhsNumber: nhsNumbersKnown
          ? family.members.find((m) => m.personKey === s.personKey)!.nhsNumber
          : s.nhsNumber,
        addressConfidential: s.addressConfidential,
      })),
      {
        roleInHousehold: 'OTHER_ADULT',
        givenName: child.givenName,
        familyName: child.familyName,
        dateOfBirth: child.dateOfBirth,
        addressConfidential: false,
      },
    ];
    const data = await asManager(
      `mutation ($referral: ReferralInput!) { submitReferral(referral: $referral) { caseReference } }`,
      {
        referral: {
          referrerType: 'POLICE',
          referrerName: 'Synthetic Officer',
          referrerOrganisation: 'Synthetic Constabulary',
          referrerContact: 'officer@synthetic-constabulary.example',
          concerns: 'Synthetic: domestic abuse at home, mother now in a refuge.',
          immediateRisk: false,
          consentSought: true,
          consentGiven: true,
          consentNotes: 'Synthetic: mother agreed by phone.',
          subjects,
        },
      },
      null,
    );
    const reference: string = data.submitReferral.caseReference;
    const mash = system.subgraphs.find((s) => s.name === 'mash')!.database.dataSource;
    const row = await mash.getRepository(Case).findOneByOrFail({ reference });
    // The case system's own reference for the case (a submitted referral has none yet).
    const external = `CSC-LEAK-${String(index).padStart(3, '0')}`;
    await mash
      .query(
        `UPDATE ${qualified(mash, 'case')} SET "externalReference" = $1, "externalSystem" = $2 WHERE id = $3`,
        [external, CASE_SYSTEM_AGENCY, row.id],
      )
      .catch(() =>
        mash.query(`UPDATE ${qualified(mash, 'case')} SET "externalReference" = $1 WHERE id = $2`, [
          external,
          row.id,
        ]),
      );
    return { reference, id: row.id };
  }

  /** The hub's records of a case and the agencies' facts about its subjects, read from their stores. */
  async function readFixture(reference: string, baseline: Baseline): Promise<CaseFixture> {
    const mash = system.subgraphs.find((s) => s.name === 'mash')!.database.dataSource;
    const [row] = await mash.query(
      `SELECT * FROM ${qualified(mash, 'case')} WHERE reference = $1`,
      [reference],
    );
    const grounds: { ground: SharingGround }[] = await mash.query(
      `SELECT ground FROM ${qualified(mash, 'recorded_ground')} WHERE "caseId" = $1`,
      [row.id],
    );
    const subjects = await mash
      .getRepository(Subject)
      .find({ where: { caseId: row.id }, order: { dateOfBirth: 'ASC', id: 'ASC' } });
    return {
      id: row.id,
      reference,
      externalReference: row.externalReference,
      externalSystem: 'externalSystem' in row ? row.externalSystem : CASE_SYSTEM_AGENCY,
      status: row.status,
      teams: row.teams,
      consent: row.consent,
      grounds: grounds.map((g) => g.ground),
      threshold: row.threshold,
      subjects: subjects.map((s): SubjectFixture => {
        const seen = baseline.subjects.get(s.id);
        return {
          id: s.id,
          addressLine: s.addressLine,
          postcode: s.postcode,
          atProtectedAddress:
            s.addressConfidential || isProtectedAddress(protectedIndex, s.addressLine, s.postcode),
          // Not seen in the baseline: sound is to treat the match as unverified.
          unverified: Object.fromEntries(CHECK_FIELDS.map((c) => [c, seen?.unverified[c] ?? true])),
          records: seen?.records ?? [],
          flaggedRecordIds: baseline.flaggedRecordIds,
          found: Object.fromEntries(CHECK_FIELDS.map((c) => [c, seen?.found[c] ?? false])),
        };
      }),
    };
  }

  interface BaselineSubject {
    unverified: Record<string, boolean>;
    found: Record<string, boolean>;
    records: FlaggableRecordFixture[];
  }
  interface Baseline {
    subjects: Map<string, BaselineSubject>;
    flaggedRecordIds: ReadonlySet<string>;
  }

  /** Every record an agency's own store flags for its member's release, across the agencies. */
  async function flaggedRecordIds(): Promise<ReadonlySet<string>> {
    const ids = new Set<string>();
    for (const agency of AGENCIES) {
      const { dataSource } = system.subgraphs.find((s) => s.name === agency.name)!.database;
      for (const metadata of dataSource.entityMetadatas) {
        if (!metadata.columns.some((c) => c.propertyName === 'requiresCustodianRelease')) continue;
        const rows = await dataSource
          .getRepository<{ id: string; requiresCustodianRelease: boolean }>(metadata.target)
          .findBy({ requiresCustodianRelease: true });
        for (const row of rows) ids.add(row.id);
      }
    }
    return ids;
  }

  /** Each agency check's lists of a type its agency can flag, as the API serves them. */
  function flaggableLists(checkField: string): { field: string; typeName: string }[] {
    const schema = apiSchemaOf(system.gateway.supergraphSdl);
    const subject = schema.getType('Subject') as GraphQLObjectType;
    const check = getNamedType(subject.getFields()[checkField].type) as GraphQLObjectType;
    return Object.values(check.getFields())
      .map((f) => ({ field: f.name, typeName: getNamedType(f.type).name }))
      .filter((l) => WITHHELD_UNTIL_RELEASED.has(l.typeName));
  }

  /**
   * The agencies' facts about each subject, taken once while consent is given: whether each match
   * needs verifying, and the records of a type its agency can flag that each check lists (as far as
   * an agency check may see them). Whether a record awaits release is read from the agencies' own
   * stores, not from the answer.
   */
  async function baselineOf(reference: string): Promise<Baseline> {
    const lists = (c: string) =>
      flaggableLists(c)
        .map((l) => `${l.field} { recordId }`)
        .join(' ');
    const data = await postGraphQL(
      system.gateway.url,
      `query ($ref: String!) { caseByReference(reference: $ref) { subjects { id
        ${CHECK_FIELDS.map((c) => `${c} { status match { needsVerification } ${lists(c)} }`).join('\n        ')}
        } } }`,
      { ref: reference },
      await manager(reference),
    ).then((r) => r.body.data);
    const flagged = await flaggedRecordIds();
    const baseline: Baseline = { subjects: new Map(), flaggedRecordIds: flagged };
    for (const subject of data?.caseByReference?.subjects ?? []) {
      const unverified: Record<string, boolean> = {};
      const found: Record<string, boolean> = {};
      for (const check of CHECK_FIELDS) {
        const answer = subject[check];
        found[check] = answer?.status === 'FOUND';
        // No match: nothing to verify. A match we could not read: treated as unverified (sound).
        unverified[check] =
          answer?.status === 'NONE_FOUND' ? false : (answer?.match?.needsVerification ?? true);
      }
      baseline.subjects.set(subject.id, {
        unverified,
        found,
        records: CHECK_FIELDS.flatMap((c) =>
          flaggableLists(c).flatMap((l) =>
            ((subject[c]?.[l.field] ?? []) as { recordId: string }[]).map((r) => ({
              typeName: l.typeName,
              recordId: r.recordId,
              awaitingRelease: flagged.has(r.recordId),
            })),
          ),
        ),
      });
    }
    return baseline;
  }

  async function configure(reference: string, configuration: (typeof CONFIGURATIONS)[number]) {
    if (configuration.triage)
      await asManager(
        'mutation ($ref: String!, $rag: RagRating!, $threshold: ThresholdOfNeed!) { triageReferral(caseReference: $ref, rag: $rag, threshold: $threshold, reason: "Synthetic triage for the leak test.") { reference } }',
        { ref: reference, ...configuration.triage },
        reference,
      );
    await asManager(
      'mutation ($ref: String!, $state: ConsentState!) { recordConsent(caseReference: $ref, state: $state, notes: "Synthetic: recorded by the leak test.") { state } }',
      { ref: reference, state: configuration.consent },
      reference,
    );
    if (configuration.ground)
      await asManager(
        'mutation ($ref: String!, $ground: SharingGround!) { recordSharingGround(caseReference: $ref, ground: $ground, reason: "Synthetic: the ground applies to this family.") { ground } }',
        { ref: reference, ground: configuration.ground },
        reference,
      );
  }

  return {
    manager,
    asManager,
    familyWithFlaggedPoliceRecords,
    openCase,
    readFixture,
    baselineOf,
    configure,
  };
}

export type LeakFixtures = ReturnType<typeof leakFixtures>;

/** Runs tasks at most `limit` at a time: the gateway and its subgraphs share two cores. */
export async function inPool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]();
      }
    }),
  );
  return results;
}
