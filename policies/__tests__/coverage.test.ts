import { composeServices } from '@apollo/composition';
import { getNamedType, GraphQLSchema, isNonNullType, isObjectType, parse } from 'graphql';
import { AGENCIES, SUBGRAPHS } from '../../subgraphs';
import { releaseMutation } from '../custodianRelease';
import { ruleFor } from '../evaluatePermission';
import { custodianOf, FIELD_TIERS, Tier } from '../tiers';

let api: GraphQLSchema;

beforeAll(async () => {
  const subgraphs = await Promise.all(
    SUBGRAPHS.map(async (s) => ({
      name: s.name,
      url: `http://${s.name}`,
      typeDefs: parse((await s.buildSchema()).sdl),
    })),
  );
  const composed = composeServices(subgraphs);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  api = composed.schema.toAPISchema().toGraphQLJSSchema();
});

const objectTypes = () =>
  Object.values(api.getTypeMap()).filter(
    (t) => isObjectType(t) && !t.name.startsWith('__'),
  ) as import('graphql').GraphQLObjectType[];

describe('the permission tree covers the schema', () => {
  it('names a rule for every field a client can ask for (nothing is open by omission)', () => {
    const unruled = objectTypes().flatMap((type) =>
      Object.keys(type.getFields())
        .filter((field) => ruleFor(type.name, field) === null)
        .map((field) => `${type.name}.${field}`),
    );
    expect(unruled).toEqual([]);
  });

  it('gives every field of every agency record type a tier', () => {
    const agencyTypes = objectTypes().filter(
      (t) => FIELD_TIERS[t.name] && FIELD_TIERS[t.name].custodian !== 'mash',
    );
    expect(agencyTypes.length).toBeGreaterThan(8);
    for (const type of agencyTypes) {
      expect(
        Object.keys(type.getFields()).filter((f) => FIELD_TIERS[type.name].fields[f] === undefined),
      ).toEqual([]);
    }
  });

  it('keeps every field the policies can withhold on its own nullable, so a denial nulls only itself', () => {
    const mustBeNullable = objectTypes().flatMap((type) =>
      Object.values(type.getFields())
        .filter((field) => {
          const tier = FIELD_TIERS[type.name]?.fields[field.name];
          const isCheck =
            isObjectType(getNamedType(field.type)) &&
            getNamedType(field.type).name.endsWith('Check');
          const isRoot = type.name === 'Query' || type.name === 'Mutation';
          return isRoot || isCheck || (tier !== undefined && tier >= Tier.DETAIL);
        })
        .filter((field) => isNonNullType(field.type))
        .map((field) => `${type.name}.${field.name}`),
    );
    expect(mustBeNullable).toEqual([]);
  });

  it("reads each agency's policy from its own folder: every type and field it tiers exists, nothing stale", () => {
    const stale = AGENCIES.flatMap((agency) =>
      Object.entries(agency.policy.fieldTiers).flatMap(([typeName, fields]) => {
        const type = api.getType(typeName);
        if (!isObjectType(type)) return [`${agency.name}: ${typeName}`];
        return Object.keys(fields)
          .filter((f) => !type.getFields()[f])
          .map((f) => `${agency.name}: ${typeName}.${f}`);
      }),
    );
    expect(stale).toEqual([]);
    // Each agency's check field on Subject is the one its policy names, tiered and its own.
    const subject = api.getType('Subject') as import('graphql').GraphQLObjectType;
    for (const agency of AGENCIES) {
      const checkType = getNamedType(subject.getFields()[agency.policy.checkField]?.type);
      expect([agency.name, checkType?.name in agency.policy.fieldTiers]).toEqual([
        agency.name,
        true,
      ]);
      expect(custodianOf('Subject', agency.policy.checkField)).toBe(agency.name);
    }
  });

  it("gives every agency its own release mutation, ruled for that agency's own member, in that agency's access log", () => {
    const mutations = api.getMutationType()!.getFields();
    const releases = Object.keys(mutations).filter((m) => /^release[A-Z]\w*Record$/.test(m));
    // One per agency, and none that names no agency (a stale or misspelt mutation is open to no one).
    expect(releases.sort()).toEqual(AGENCIES.map((a) => releaseMutation(a.name)).sort());
    for (const agency of AGENCIES) {
      const mutation = releaseMutation(agency.name);
      expect([mutation, ruleFor('Mutation', mutation)]).toEqual([mutation, expect.anything()]);
      expect([mutation, custodianOf('Mutation', mutation)]).toEqual([mutation, agency.name]);
    }
  });

  it('gives every agency a record type it can flag: a reference and awaitingRelease, both headline tier', () => {
    for (const agency of AGENCIES) {
      const flaggable = Object.entries(agency.policy.fieldTiers).filter(
        ([, fields]) => fields.awaitingRelease !== undefined,
      );
      expect([agency.name, flaggable.length > 0]).toEqual([agency.name, true]);
      for (const [typeName, fields] of flaggable) {
        expect([typeName, fields.recordId, fields.awaitingRelease]).toEqual([
          typeName,
          Tier.SUMMARY,
          Tier.SUMMARY,
        ]);
        // Something is withheld while it awaits release: a flag over headlines only protects nothing.
        expect([typeName, Object.values(fields).some((t) => t > Tier.SUMMARY)]).toEqual([
          typeName,
          true,
        ]);
        const type = api.getType(typeName) as import('graphql').GraphQLObjectType;
        expect(isNonNullType(type.getFields().awaitingRelease.type)).toBe(true);
      }
    }
  });

  it('lets no agency field carry an address: the protected-address policy covers the hub’s fields only', () => {
    // A refuge is protected wherever it appears (policies/protectedAddress.ts withholds the hub's
    // address fields); an agency's address history, exclusion zone or refuge would bypass it.
    const addressLike =
      /address|postcode|street|location|town|city|zone|refuge|placement(Area|Site)/i;
    const agencyFields = AGENCIES.flatMap((agency) =>
      Object.entries(agency.policy.fieldTiers).flatMap(([typeName, fields]) =>
        Object.keys(fields).map((field) => `${typeName}.${field}`),
      ),
    );
    expect(agencyFields.length).toBeGreaterThan(20);
    expect(agencyFields.filter((f) => addressLike.test(f))).toEqual([]);
  });

  it('hides the gateway-only access facts from clients', () => {
    expect(api.getQueryType()!.getFields().caseAccessFacts).toBeUndefined();
  });

  it("hides what only the agencies' matching reads: the matching postcode and the match decisions", () => {
    const subject = api.getType('Subject') as import('graphql').GraphQLObjectType;
    expect(Object.keys(subject.getFields())).not.toEqual(
      expect.arrayContaining(['matchingPostcode']),
    );
    expect(subject.getFields().matchDecisions).toBeUndefined();
    expect(api.getType('SubjectMatchDecision')).toBeUndefined();
  });
});
