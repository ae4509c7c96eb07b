import { randomUUID } from 'node:crypto';
import { getNamedType, GraphQLObjectType, GraphQLSchema } from 'graphql';
import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { MAX_TIER } from '../policies/consent';
import { releaseMutation } from '../policies/custodianRelease';
import { Purpose, Role } from '../policies/roles';
import { Tier } from '../policies/tier';
import { FlaggedRecordDisclosure, withheldUntilReleased } from '../schema/custodianRelease';
import type { AgencyDefinition } from '../schema/subgraphDefinition';
import { AGENCIES } from '../subgraphs/agencies';
import { caseReference, caseStatus, MASH_TEAMS } from '../subgraphs/mash/data';
import { CaseStatus } from '../subgraphs/mash/entities/case';
import type { SyntheticFamily } from '../synthetic/population';
import { GraphQLBody, postGraphQL, requestHeaders } from './graphqlClient';
import { apiSchemaOf } from './operationGenerator';
import { startTestSystem } from './testSystem';

/**
 * Custodian release in every agency, through the gateway (issue 15, part 2): each agency's flagged
 * record is reported awaiting release with its detail withheld (rule custodian-release); only that
 * agency's own researcher releases it, for the request's own case, for a record its check reported
 * for a subject of that case, with a reason; the release holds for that case alone; and it is in
 * the agency's own access log. A new agency joins this test by its line in `subgraphs/agencies.ts`.
 */
let system: EmbeddedSystem;
let schema: GraphQLSchema;

/** Where an agency's flagged records are: the check's list fields of a type that serves awaitingRelease. */
interface FlaggableList {
  field: string;
  typeName: string;
  /** What is withheld while a record awaits release (above SUMMARY in the agency's own tiers). */
  withheld: string[];
}

/** A flagged record the check reported awaiting release, as one case's manager read it. */
interface Flagged {
  family: SyntheticFamily;
  ref: string;
  team: string;
  purpose: Purpose;
  subjectIndex: number;
  list: FlaggableList;
  recordId: string;
}

const flaggableLists = new Map<string, FlaggableList[]>();
/** Every flagged record each open case's check reported, by agency. */
const reported = new Map<string, Flagged[]>();

const REASON = "Agreed with the record's owner: sharing it now protects the child.";

beforeAll(async () => {
  // A generous deadline: this suite tests release, not deadlines, and runs beside heavy suites in CI.
  system = await startTestSystem({ port: 0, seed: 41, families: 90, subgraphTimeoutMs: 10_000 });
  schema = apiSchemaOf(system.gateway.supergraphSdl);
  for (const agency of AGENCIES) {
    flaggableLists.set(agency.name, listsOf(agency));
    reported.set(agency.name, []);
  }
  // Every open case, with consent, read by its manager for the most its stage allows: the check of
  // every agency reports (and remembers) the flagged records of the case's subjects.
  for (const family of openFamilies()) {
    const ref = caseReference(family.index);
    const team = MASH_TEAMS[family.index % MASH_TEAMS.length];
    const consent = await postGraphQL(
      system.gateway.url,
      'mutation ($ref: String!) { recordConsent(caseReference: $ref, state: GIVEN, notes: "Parents agreed at the home visit.") { state } }',
      { ref },
      await manager(team, Purpose.AGENCY_CHECK, ref),
    );
    expect(consent.body.errors).toBeUndefined();
    let purpose = Purpose.STRATEGY_DISCUSSION;
    let body = await readChecks(AGENCIES, ref, await manager(team, purpose, ref));
    if (body.errors?.some((e) => e.extensions?.code === 'PURPOSE_NOT_JUSTIFIED')) {
      purpose = Purpose.AGENCY_CHECK;
      body = await readChecks(AGENCIES, ref, await manager(team, purpose, ref));
    }
    for (const agency of AGENCIES) {
      for (const [subjectIndex, subject] of (
        (body.data?.caseByReference?.subjects ?? []) as Record<string, unknown>[]
      ).entries()) {
        const check = subject[agency.policy.checkField] as Record<string, unknown> | null;
        for (const list of flaggableLists.get(agency.name)!) {
          for (const record of (check?.[list.field] ?? []) as Record<string, unknown>[]) {
            if (record.awaitingRelease !== true) continue;
            reported.get(agency.name)!.push({
              family,
              ref,
              team,
              purpose,
              subjectIndex,
              list,
              recordId: record.recordId as string,
            });
          }
        }
      }
    }
  }
}, 240_000);
afterAll(() => system?.stop());

const openFamilies = () =>
  system.population.filter((f) => f.referral && caseStatus(f.index) === CaseStatus.OPEN);

function manager(team: string, purpose: Purpose | null, ref: string | null) {
  return requestHeaders({ userId: 'manager.release', role: Role.MASH_MANAGER, team }, purpose, ref);
}

function researcher(agency: string, team: string, ref: string | null) {
  return requestHeaders(
    { userId: `researcher.${agency}`, role: Role.AGENCY_RESEARCHER, agency, team },
    Purpose.AGENCY_CHECK,
    ref,
  );
}

function listsOf(agency: AgencyDefinition): FlaggableList[] {
  const subject = schema.getType('Subject') as GraphQLObjectType;
  const check = getNamedType(
    subject.getFields()[agency.policy.checkField].type,
  ) as GraphQLObjectType;
  return Object.values(check.getFields()).flatMap((field) => {
    const typeName = getNamedType(field.type).name;
    const tiers = agency.policy.fieldTiers[typeName];
    if (tiers?.awaitingRelease === undefined) return [];
    return [{ field: field.name, typeName, withheld: withheldUntilReleased(tiers) }];
  });
}

function checkSelection(agency: AgencyDefinition): string {
  const lists = flaggableLists
    .get(agency.name)!
    .map((l) => `${l.field} { recordId awaitingRelease ${l.withheld.join(' ')} }`);
  return `${agency.policy.checkField} { status ${lists.join(' ')} }`;
}

async function readChecks(
  agencies: AgencyDefinition[],
  ref: string,
  headers: Record<string, string>,
): Promise<GraphQLBody> {
  const { status, body } = await postGraphQL(
    system.gateway.url,
    `query ($ref: String!) { caseByReference(reference: $ref) { subjects { id ${agencies.map(checkSelection).join(' ')} } } }`,
    { ref },
    headers,
  );
  expect(status).toBe(200);
  return body;
}

/** The fields of the flagged type this case's reader may see (below the purpose's cap under consent). */
function visibleWithheld(agency: AgencyDefinition, flagged: Flagged): string[] {
  const cap = MAX_TIER[flagged.purpose].CONSENT ?? Tier.IDENTITY;
  const tiers = agency.policy.fieldTiers[flagged.list.typeName];
  return flagged.list.withheld.filter((f) => tiers[f] <= cap);
}

/** The record as a reader of `ref` sees it: its fields, and the error at each withheld field's path. */
async function readRecord(
  agency: AgencyDefinition,
  flagged: Flagged,
  ref: string,
  headers: Record<string, string>,
) {
  const body = await readChecks([agency], ref, headers);
  const subjects = (body.data?.caseByReference?.subjects ?? []) as Record<string, unknown>[];
  for (const [s, subject] of subjects.entries()) {
    const check = subject[agency.policy.checkField] as Record<string, unknown> | null;
    const records = (check?.[flagged.list.field] ?? []) as Record<string, unknown>[];
    const r = records.findIndex((record) => record.recordId === flagged.recordId);
    if (r < 0) continue;
    const path = [
      'caseByReference',
      'subjects',
      s,
      agency.policy.checkField,
      flagged.list.field,
      r,
    ];
    const errorAt = (field: string) =>
      body.errors?.find((e) => JSON.stringify(e.path) === JSON.stringify([...path, field]));
    return { check, record: records[r], errorAt };
  }
  return null;
}

/**
 * How the flagged record shows in its subject's chronology, for an agency that declares events:
 * its event (summary and what withheld it) or, when even its date is the custodian's, the
 * agency's withheld count under custodian-release. Null for an agency without events.
 */
async function inChronology(
  agency: AgencyDefinition,
  here: Flagged,
  headers: Record<string, string>,
) {
  if (!agency.policy.events?.length) return null;
  const { body } = await postGraphQL(
    system.gateway.url,
    `query ($ref: String!, $agency: String!) { caseByReference(reference: $ref) { subjects {
      chronology(first: 100, agencies: [$agency]) {
        edges { node { recordReference summary summaryWithheld { code rule } } }
        withheld { agency rule count }
      } } } }`,
    { ref: here.ref, agency: agency.name },
    headers,
  );
  const chronology = body.data?.caseByReference?.subjects?.[here.subjectIndex]?.chronology as {
    edges: {
      node: {
        recordReference: string;
        summary: string | null;
        summaryWithheld: { code: string; rule: string } | null;
      };
    }[];
    withheld: { agency: string; rule: string; count: number | null }[];
  };
  // Only the withheld summaries may be errors: an agency that did not answer (under CI's load, say)
  // would otherwise pass for a chronology without the record.
  expect(
    (body.errors ?? []).filter((e) => e.extensions?.code !== 'CUSTODIAN_RELEASE_REQUIRED'),
  ).toEqual([]);
  return {
    event: chronology.edges.map((e) => e.node).find((n) => n.recordReference === here.recordId),
    custodianCount:
      chronology.withheld.find((w) => w.agency === agency.name && w.rule === 'custodian-release')
        ?.count ?? 0,
  };
}

/** A new referral by the team's manager, triaged at child protection: a new open case of theirs. */
async function openCase(team: string, subjects: Record<string, unknown>[]): Promise<string> {
  const { body: submitted } = await postGraphQL(
    system.gateway.url,
    `mutation ($subjects: [ReferralSubjectInput!]!) { submitReferral(referral: {
      referrerType: SCHOOL, referrerName: "Teacher Synthetic", referrerOrganisation: "Synthetic Academy",
      referrerContact: "dsl@synthetic-academy.example", concerns: "A new concern about the child.",
      immediateRisk: false, consentSought: true, consentGiven: true, subjects: $subjects
    }) { caseReference } }`,
    { subjects },
    await manager(team, Purpose.AGENCY_CHECK, null),
  );
  expect(submitted.errors).toBeUndefined();
  const ref: string = submitted.data.submitReferral.caseReference;
  const triaged = await postGraphQL(
    system.gateway.url,
    'mutation ($ref: String!) { triageReferral(caseReference: $ref, rag: RED, threshold: CHILD_PROTECTION, reason: "Significant harm suspected; section 47 threshold met.") { reference } }',
    { ref },
    await manager(team, Purpose.AGENCY_CHECK, ref),
  );
  expect(triaged.body.errors).toBeUndefined();
  return ref;
}

/** The agency's own release mutation, as whoever `headers` names asks for it. */
async function release(
  agency: AgencyDefinition,
  headers: Record<string, string>,
  recordId: string,
  reason = REASON,
) {
  return (
    await postGraphQL(
      system.gateway.url,
      `mutation ($id: ID!, $reason: String!) { release: ${releaseMutation(agency.name)}(recordId: $id, reason: $reason) { recordId caseReference releasedBy reason } }`,
      { id: recordId, reason },
      headers,
    )
  ).body;
}

async function accessLog(agency: string) {
  const entries: {
    agentUserId: string | null;
    caseReference: string | null;
    custodians: string[];
    granted: string[];
    denied: { custodian: string | null; code: string }[];
    outcome: string;
  }[] = [];
  let after: string | null = null;
  do {
    const { body }: { body: GraphQLBody } = await postGraphQL(
      system.gateway.url,
      'query ($after: String) { custodianAccessLog(first: 500, after: $after) { entries { agentUserId caseReference custodians granted denied { custodian code } outcome } nextCursor } }',
      { after },
      await requestHeaders(
        { userId: `${agency}.custodian`, role: Role.AGENCY_RESEARCHER, agency },
        null,
        null,
      ),
    );
    expect(body.errors).toBeUndefined();
    entries.push(...body.data.custodianAccessLog.entries);
    after = body.data.custodianAccessLog.nextCursor;
  } while (after);
  return entries;
}

describe.each(AGENCIES.map((a) => [a.name, a] as const))(
  '%s: custodian release',
  (_name, agency) => {
    let here: Flagged;
    let elsewhere: Flagged | undefined;
    const other = AGENCIES.find((a) => a.name !== agency.name)!;

    beforeAll(() => {
      const all = reported.get(agency.name)!;
      // A record whose withheld detail this case's reader may see (special category needs a case
      // at child protection), and a flagged record of another case's subject.
      here = all.find((f) => visibleWithheld(agency, f).length > 0)!;
      expect([agency.name, here]).toEqual([agency.name, expect.anything()]);
      elsewhere = all.find((f) => f.ref !== here.ref && f.recordId !== here.recordId);
    });

    it('reports the flagged record awaiting release, its detail withheld by custodian-release (not null without a reason, not none found)', async () => {
      const read = (await readRecord(
        agency,
        here,
        here.ref,
        await manager(here.team, here.purpose, here.ref),
      ))!;
      expect(read.check?.status).toBe('FOUND');
      expect(read.record.awaitingRelease).toBe(true);
      for (const field of visibleWithheld(agency, here)) {
        expect([field, read.record[field]]).toEqual([field, null]);
        expect(read.errorAt(field)?.extensions).toMatchObject({
          code: 'CUSTODIAN_RELEASE_REQUIRED',
          rule: 'custodian-release',
          release: expect.stringContaining(releaseMutation(agency.name)),
        });
      }
    });

    it("refuses another agency's researcher, and the MASH manager", async () => {
      for (const headers of [
        await researcher(other.name, here.team, here.ref),
        await manager(here.team, Purpose.AGENCY_CHECK, here.ref),
      ]) {
        const body = await release(agency, headers, here.recordId);
        expect(body.data?.release ?? null).toBeNull();
        expect(body.errors![0].extensions).toMatchObject({
          code: 'NOT_PERMITTED',
          rule: 'is-custodian-member',
        });
      }
    });

    it('refuses its own researcher with no case declared, or on a case not theirs', async () => {
      const undeclared = await release(
        agency,
        await researcher(agency.name, here.team, null),
        here.recordId,
      );
      expect(undeclared.data?.release ?? null).toBeNull();
      expect(undeclared.errors![0].extensions).toMatchObject({ code: 'CASE_REQUIRED' });
      const otherTeam = MASH_TEAMS.find((t) => t !== here.team)!;
      const notTheirs = await release(
        agency,
        await researcher(agency.name, otherTeam, here.ref),
        here.recordId,
      );
      expect(notTheirs.data?.release ?? null).toBeNull();
      expect(notTheirs.errors![0].extensions).toMatchObject({ code: 'NOT_ASSIGNED' });
    });

    it("refuses a flagged record under a case it is not a subject's of, either way round", async () => {
      // A case of the same team about another child: this case's record is not that case's to release.
      const unrelated = await openCase(here.team, [
        {
          roleInHousehold: 'CHILD',
          givenName: 'Ada',
          familyName: `Synthetic-Unrelated-${agency.name}`,
          dateOfBirth: '2015-01-02',
        },
      ]);
      const attempts = [{ ref: unrelated, recordId: here.recordId }];
      // And another case's flagged record under this case, where the population holds one.
      if (elsewhere) attempts.push({ ref: here.ref, recordId: elsewhere.recordId });
      for (const { ref, recordId } of attempts) {
        const body = await release(agency, await researcher(agency.name, here.team, ref), recordId);
        expect([ref, body.data?.release ?? null]).toEqual([ref, null]);
        expect(body.errors![0]).toMatchObject({
          message: "There is no flagged record of this case's subjects with that reference.",
          extensions: { code: 'NOT_FOUND', argument: 'recordId' },
        });
      }
    });

    it('refuses a record its check never reported for this case, and references that name no record', async () => {
      const dataSource = system.subgraphs.find((s) => s.name === agency.name)!.database.dataSource;
      const disclosedHere = new Set(
        (
          await dataSource
            .getRepository(FlaggedRecordDisclosure)
            .findBy({ caseReference: here.ref })
        ).map((d) => d.recordId),
      );
      // Flagged in the agency's own store, but never reported for this case's subjects.
      const flaggedIds = (
        await Promise.all(
          dataSource.entityMetadatas
            .filter((m) => m.columns.some((c) => c.propertyName === 'requiresCustodianRelease'))
            .map((m) =>
              dataSource
                .getRepository<{ id: string; requiresCustodianRelease: boolean }>(m.target)
                .find({
                  where: { requiresCustodianRelease: true },
                }),
            ),
        )
      )
        .flat()
        .map((r) => r.id);
      const unreported = flaggedIds.filter((id) => !disclosedHere.has(id));
      expect(unreported.length).toBeGreaterThan(0);
      for (const id of [unreported[0], randomUUID(), 'not-a-record']) {
        const body = await release(agency, await researcher(agency.name, here.team, here.ref), id);
        expect([id, body.data?.release ?? null]).toEqual([id, null]);
        expect(body.errors![0].extensions).toMatchObject({
          code: 'NOT_FOUND',
          argument: 'recordId',
        });
      }
    });

    it('refuses a release without a reason of ten characters', async () => {
      for (const reason of ['', '   ', 'safe now']) {
        const body = await release(
          agency,
          await researcher(agency.name, here.team, here.ref),
          here.recordId,
          reason,
        );
        expect(body.data?.release ?? null).toBeNull();
        expect(body.errors![0].extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          argument: 'reason',
        });
      }
    });

    it('still withholds the record after every refusal', async () => {
      const read = (await readRecord(
        agency,
        here,
        here.ref,
        await manager(here.team, here.purpose, here.ref),
      ))!;
      expect(read.record.awaitingRelease).toBe(true);
      for (const field of visibleWithheld(agency, here))
        expect(read.errorAt(field)?.extensions?.code).toBe('CUSTODIAN_RELEASE_REQUIRED');
    });

    it('keeps it out of the chronology too: an event without its summary, or a count under custodian-release', async () => {
      const seen = await inChronology(
        agency,
        here,
        await manager(here.team, here.purpose, here.ref),
      );
      if (seen === null) return; // the agency declares no chronology events
      if (seen.event) {
        expect(seen.event.summary).toBeNull();
        expect(seen.event.summaryWithheld).toEqual({
          code: 'CUSTODIAN_RELEASE_REQUIRED',
          rule: 'custodian-release',
        });
      } else expect(seen.custodianCount).toBeGreaterThan(0);
    });

    it('releases it for its own researcher, for this case: then its detail is shown', async () => {
      const body = await release(
        agency,
        await researcher(agency.name, here.team, here.ref),
        here.recordId,
      );
      expect(body.errors).toBeUndefined();
      expect(body.data.release).toEqual({
        recordId: here.recordId,
        caseReference: here.ref,
        releasedBy: `researcher.${agency.name}`,
        reason: REASON,
      });
      const read = (await readRecord(
        agency,
        here,
        here.ref,
        await manager(here.team, here.purpose, here.ref),
      ))!;
      expect(read.record.awaitingRelease).toBe(false);
      const shown = visibleWithheld(agency, here);
      for (const field of shown) expect([field, read.errorAt(field)]).toEqual([field, undefined]);
      // Some detail is there to see (a field may be empty in the record itself, never all of them).
      expect(shown.some((field) => read.record[field] !== null)).toBe(true);
      // And in the chronology: its event, no longer withheld by its custodian.
      const seen = await inChronology(
        agency,
        here,
        await manager(here.team, here.purpose, here.ref),
      );
      if (seen !== null && (seen.event || seen.custodianCount > 0)) {
        expect(seen.event).toBeDefined();
        expect(seen.event!.summaryWithheld?.rule).not.toBe('custodian-release');
      }
    });

    it('releases it for this case only: the same subject in another case still sees it withheld', async () => {
      // The subject, as the hub holds them, referred again: a new case the same record matches.
      const { body: demographics } = await postGraphQL(
        system.gateway.url,
        'query ($ref: String!) { caseByReference(reference: $ref) { subjects { roleInHousehold givenName familyName dateOfBirth sex addressLine postcode nhsNumber } } }',
        { ref: here.ref },
        await manager(here.team, Purpose.AGENCY_CHECK, here.ref),
      );
      const subjects = demographics.data.caseByReference.subjects as { roleInHousehold: string }[];
      const subject = subjects[here.subjectIndex];
      // A referral is about a child: the household's child beside an adult subject.
      const child = subjects.find((s) => s.roleInHousehold === 'CHILD');
      const again = await openCase(
        here.team,
        !child || child === subject ? [subject] : [subject, child],
      );
      // Until its check has reported the record for the new case, the new case cannot name it.
      const early = await release(
        agency,
        await researcher(agency.name, here.team, again),
        here.recordId,
      );
      expect(early.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
      const read = (await readRecord(
        agency,
        here,
        again,
        await manager(here.team, here.purpose, again),
      ))!;
      expect(read).not.toBeNull();
      expect(read.record.awaitingRelease).toBe(true);
      for (const field of visibleWithheld(agency, here))
        expect(read.errorAt(field)?.extensions?.code).toBe('CUSTODIAN_RELEASE_REQUIRED');
    });

    it("lists the release, and the refused attempt, in the agency's own access log, and in no other agency's", async () => {
      const mutation = `${agency.name}:Mutation.${releaseMutation(agency.name)}`;
      const own = await accessLog(agency.name);
      const released = own.filter(
        (e) =>
          e.agentUserId === `researcher.${agency.name}` &&
          e.caseReference === here.ref &&
          e.outcome === 'SUCCESS' &&
          e.granted.includes(mutation),
      );
      expect(released).toHaveLength(1);
      expect(released[0].custodians).toEqual([agency.name]);
      const refused = own.filter(
        (e) =>
          e.agentUserId === `researcher.${other.name}` &&
          e.caseReference === here.ref &&
          e.denied.some((d) => d.custodian === agency.name && d.code === 'NOT_PERMITTED'),
      );
      expect(refused.length).toBeGreaterThan(0);
      // The release is this agency's alone: not in another custodian's log.
      const theirs = await accessLog(other.name);
      const releaseThere = theirs.filter(
        (e) =>
          e.agentUserId === `researcher.${agency.name}` &&
          e.caseReference === here.ref &&
          e.outcome === 'SUCCESS',
      );
      expect(releaseThere).toEqual([]);
    });
  },
);
