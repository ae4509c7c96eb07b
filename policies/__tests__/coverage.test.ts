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

  it('gives every agency that flags records its own release mutation, ruled for its own member', () => {
    const mutations = api.getMutationType()!.getFields();
    for (const agency of AGENCIES.filter((a) => a.policy.releasesFlaggedRecords)) {
      expect([agency.name, mutations[releaseMutation(agency.name)] !== undefined]).toEqual([
        agency.name,
        true,
      ]);
      expect(ruleFor('Mutation', releaseMutation(agency.name))).not.toBeNull();
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
