import { composeServices } from '@apollo/composition';
import { getNamedType, GraphQLSchema, isNonNullType, isObjectType, parse } from 'graphql';
import { SUBGRAPHS } from '../../subgraphs';
import { ruleFor } from '../evaluatePermission';
import { FIELD_TIERS, Tier } from '../tiers';

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
