import {
  getNamedType,
  getNullableType,
  GraphQLObjectType,
  GraphQLOutputType,
  GraphQLSchema,
  isListType,
  isObjectType,
} from 'graphql';
import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { Purpose, Role } from '../policies/roles';
import { FIELD_TIERS, Tier } from '../policies/tiers';
import type { AgencyDefinition } from '../schema/subgraphDefinition';
import { AGENCIES } from '../subgraphs/agencies';
import { caseReference, caseStatus, MASH_TEAMS } from '../subgraphs/mash/data';
import { CaseStatus } from '../subgraphs/mash/entities/case';
import type { SyntheticFamily } from '../synthetic/population';
import { GraphQLBody, postGraphQL, requestHeaders } from './graphqlClient';
import { apiSchemaOf } from './operationGenerator';
import { startTestSystem } from './testSystem';

/**
 * Every agency in the registry, through the gateway, for a seeded subject it holds: its records come
 * back (dated), and the policies apply — its own researcher sees its detail, another agency's
 * researcher only its headlines, with each withheld field null and its denial at its path. A new
 * agency joins this test by its line in `subgraphs/agencies.ts`.
 */
let system: EmbeddedSystem;
let schema: GraphQLSchema;

beforeAll(async () => {
  system = await startTestSystem({ port: 0, seed: 11, families: 40, subgraphTimeoutMs: 3000 });
  schema = apiSchemaOf(system.gateway.supergraphSdl);
  // Consent or a recorded ground on every open referred case: this test is about the tiers.
  for (const family of referred().filter((f) => f.referral!.consent !== 'GIVEN')) {
    const { body } = await postGraphQL(
      system.gateway.url,
      'mutation ($ref: String!) { recordSharingGround(caseReference: $ref, ground: SIGNIFICANT_HARM_TO_CHILD, reason: "Test: risk of significant harm to the child.") { ground } }',
      { ref: caseReference(family.index) },
      await as(family, { role: Role.MASH_MANAGER }),
    );
    expect(body.errors).toBeUndefined();
  }
});
afterAll(() => system?.stop());

const referred = () =>
  system.population.filter((f) => f.referral && caseStatus(f.index) === CaseStatus.OPEN);

function as(family: SyntheticFamily, who: { role: Role; agency?: string }) {
  const team = MASH_TEAMS[family.index % MASH_TEAMS.length];
  return requestHeaders(
    { userId: `${who.agency ?? 'manager'}.test`, role: who.role, agency: who.agency, team },
    Purpose.AGENCY_CHECK,
    caseReference(family.index),
  );
}

const checkQuery = (agency: AgencyDefinition) =>
  `query ($ref: String!) { caseByReference(reference: $ref) { subjects { id ${agency.policy.checkField} {
    status match { needsVerification } ${agency.policy.exampleFields} } } } }`;

/**
 * A subject of an open case the agency matched certainly and holds records on: the one holding
 * the most of its kinds of record (every kind, if a subject does), so that each record type and its
 * tiers are exercised, not only the commonest.
 */
async function subjectWithRecords(agency: AgencyDefinition) {
  let best: { family: SyntheticFamily; index: number; kinds: number } | null = null;
  for (const family of referred()) {
    const { body } = await postGraphQL(
      system.gateway.url,
      checkQuery(agency),
      { ref: caseReference(family.index) },
      await as(family, { role: Role.MASH_MANAGER }),
    );
    const subjects: Record<string, Record<string, unknown> | null>[] =
      body.data?.caseByReference?.subjects ?? [];
    for (const [index, subject] of subjects.entries()) {
      const check = subject[agency.policy.checkField];
      const certain =
        check?.status === 'FOUND' &&
        (check.match as { needsVerification: boolean }).needsVerification === false;
      if (!certain) continue;
      const lists = Object.values(check).filter(Array.isArray);
      const kinds = lists.filter((list) => list.length > 0).length;
      if (kinds > (best?.kinds ?? 0)) best = { family, index, kinds };
      if (kinds === lists.length) return best!;
    }
  }
  if (!best) throw new Error(`${agency.name} holds records on no subject of an open case`);
  return best;
}

interface Leaf {
  path: string;
  typeName: string;
  field: string;
  value: unknown;
}

/** Every scalar the answer holds under the check, with the type and field it answers. */
function leaves(value: unknown, type: GraphQLOutputType, path: string, into: Leaf[] = []): Leaf[] {
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    (value as unknown[] | null)?.forEach((item, i) =>
      leaves(item, nullable.ofType, `${path}.${i}`, into),
    );
    return into;
  }
  const named = getNamedType(nullable);
  if (!isObjectType(named) || value === null || typeof value !== 'object') return into;
  for (const [field, child] of Object.entries(value as Record<string, unknown>)) {
    const definition = (named as GraphQLObjectType).getFields()[field];
    const childType = getNamedType(definition.type);
    if (isObjectType(childType) && child !== null)
      leaves(child, definition.type, `${path}.${field}`, into);
    else into.push({ path: `${path}.${field}`, typeName: named.name, field, value: child });
  }
  return into;
}

describe.each(AGENCIES.map((a) => [a.name, a] as const))(
  '%s through the gateway',
  (_name, agency) => {
    let own: GraphQLBody;
    let other: GraphQLBody;
    let ownLeaves: Leaf[];
    let otherLeaves: Leaf[];
    let reference: string;
    let otherAgency: string;
    const tierOf = (leaf: Leaf) => FIELD_TIERS[leaf.typeName]?.fields[leaf.field];

    beforeAll(async () => {
      const { family, index } = await subjectWithRecords(agency);
      reference = caseReference(family.index);
      otherAgency = AGENCIES.find((a) => a.name !== agency.name)!.name;
      const ask = async (researcherOf: string) =>
        (
          await postGraphQL(
            system.gateway.url,
            checkQuery(agency),
            { ref: caseReference(family.index) },
            await as(family, { role: Role.AGENCY_RESEARCHER, agency: researcherOf }),
          )
        ).body;
      [own, other] = [await ask(agency.name), await ask(otherAgency)];
      const checkType = (schema.getType('Subject') as GraphQLObjectType).getFields()[
        agency.policy.checkField
      ].type;
      const path = `caseByReference.subjects.${index}.${agency.policy.checkField}`;
      const checkOf = (body: GraphQLBody) =>
        body.data.caseByReference.subjects[index][agency.policy.checkField];
      ownLeaves = leaves(checkOf(own), checkType, path);
      otherLeaves = leaves(checkOf(other), checkType, path);
    });

    it('returns its records, dated, to its own researcher, withholding only above its tier', () => {
      const isRecord = (l: Leaf) => !l.typeName.endsWith('Check') && l.typeName !== 'IdentityMatch';
      expect(ownLeaves.filter(isRecord).length).toBeGreaterThan(0);
      // Every record is dated: some field of each record type is a date.
      const dated = new Set(
        ownLeaves
          .filter((l) => typeof l.value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(l.value))
          .map((l) => l.typeName),
      );
      const recordTypes = new Set(ownLeaves.filter(isRecord).map((l) => l.typeName));
      expect([...recordTypes].filter((t) => !dated.has(t))).toEqual([]);
      // Up to DETAIL (its own records, for an agency check with consent or a ground): nothing withheld
      // but the detail of a record the agency flagged for its member's release (custodianRelease.test.ts).
      const withheld = (own.errors ?? []).filter((e) => {
        const leaf = ownLeaves.find((l) => l.path === e.path?.join('.'));
        return (
          leaf &&
          (tierOf(leaf) ?? Tier.SPECIAL_CATEGORY) <= Tier.DETAIL &&
          e.extensions?.code !== 'CUSTODIAN_RELEASE_REQUIRED'
        );
      });
      expect(withheld).toEqual([]);
    });

    it("shows another agency's researcher its headlines only: each field above SUMMARY null, its denial at its path", () => {
      for (const leaf of otherLeaves) {
        const tier = tierOf(leaf);
        expect([leaf.typeName, leaf.field, tier]).toEqual([
          leaf.typeName,
          leaf.field,
          expect.any(Number),
        ]);
        if (tier! > Tier.SUMMARY) {
          expect([leaf.path, leaf.value]).toEqual([leaf.path, null]);
          const denial = other.errors?.find((e) => e.path?.join('.') === leaf.path);
          expect([leaf.path, denial?.extensions?.code]).toEqual([leaf.path, 'NEED_TO_KNOW']);
        } else {
          // The headlines are the same for both.
          expect(leaf.value).toEqual(ownLeaves.find((l) => l.path === leaf.path)?.value);
        }
      }
      const shown = (all: Leaf[]) => all.filter((l) => l.value !== null).length;
      const hasDetail = Object.values(agency.policy.fieldTiers).some((fields) =>
        Object.values(fields).some((tier) => tier === Tier.DETAIL),
      );
      // Another agency's researcher never sees more; less wherever the agency holds detail.
      if (hasDetail) expect(shown(otherLeaves)).toBeLessThan(shown(ownLeaves));
      else expect(shown(otherLeaves)).toBe(shown(ownLeaves));
    });

    it("lists in its own custodian's access log the other researcher's read: its own fields, granted and refused", async () => {
      const { body } = await postGraphQL(
        system.gateway.url,
        '{ custodianAccessLog(first: 100) { entries { agentUserId caseReference custodians granted denied { custodian code } } } }',
        undefined,
        await requestHeaders(
          { userId: `${agency.name}.custodian`, role: Role.AGENCY_RESEARCHER, agency: agency.name },
          null,
          null,
        ),
      );
      expect(body.errors).toBeUndefined();
      const entries: {
        agentUserId: string;
        caseReference: string;
        custodians: string[];
        granted: string[];
        denied: { custodian: string; code: string }[];
      }[] = body.data.custodianAccessLog.entries;
      for (const entry of entries) {
        expect(entry.custodians).toEqual([agency.name]);
        expect(entry.granted.filter((g) => !g.startsWith(`${agency.name}:`))).toEqual([]);
        expect(entry.denied.filter((d) => d.custodian !== agency.name)).toEqual([]);
      }
      const read = entries.filter(
        (e) => e.agentUserId === `${otherAgency}.test` && e.caseReference === reference,
      );
      expect(read.some((e) => e.granted.length > 0)).toBe(true);
      const refused = otherLeaves.some((l) => l.value === null && (tierOf(l) ?? 0) > Tier.SUMMARY);
      if (refused)
        expect(read.some((e) => e.denied.some((d) => d.code === 'NEED_TO_KNOW'))).toBe(true);
    });
  },
);
