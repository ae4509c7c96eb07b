import { getNamedType, GraphQLSchema } from 'graphql';
import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { Purpose, Role } from '../policies/roles';
import { caseReference, caseStatus, MASH_TEAMS } from '../subgraphs/mash/data';
import { CaseStatus } from '../subgraphs/mash/entities/case';
import { DEFAULT_POPULATION } from '../synthetic/population';
import { literal, operationWith, rootOperations, wrongValues } from './argumentValues';
import { INTERNAL_DETAIL, postGraphQL, requestHeaders } from './graphqlClient';
import { apiSchemaOf } from './operationGenerator';
import { startTestSystem } from './testSystem';

/**
 * Issue 18 item 2: a client's mistake is a 400 BAD_USER_INPUT naming the argument, never a 5xx and
 * never an internal address. For every argument of every query and mutation of the API schema
 * (input objects' fields too), every wrong value `argumentValues.ts` knows for its type is sent,
 * once as a variable and once as a literal, with the other required arguments valid.
 */
let system: EmbeddedSystem;
let schema: GraphQLSchema;
let headers: Record<string, string>;

beforeAll(async () => {
  system = await startTestSystem({
    port: 0,
    seed: DEFAULT_POPULATION.seed,
    families: 12,
    subgraphTimeoutMs: 5000,
  });
  schema = apiSchemaOf(system.gateway.supergraphSdl);
  const family = system.population.find(
    (f) => f.referral && !f.newToArea && caseStatus(f.index) === CaseStatus.OPEN,
  )!;
  headers = await requestHeaders(
    {
      userId: 'manager.badinput',
      role: Role.MASH_MANAGER,
      team: MASH_TEAMS[family.index % MASH_TEAMS.length],
    },
    Purpose.AGENCY_CHECK,
    caseReference(family.index),
  );
}, 120_000);
afterAll(() => system?.stop());

it('refuses every wrong value of every argument as BAD_USER_INPUT naming it', async () => {
  const failures: string[] = [];
  const cases: (() => Promise<void>)[] = [];
  for (const { kind, field } of rootOperations(schema)) {
    for (const argument of field.args) {
      for (const wrong of wrongValues(argument.type)) {
        const { query, variables } = operationWith(kind, field, argument);
        const asLiteral = query
          .replace(new RegExp(`\\$${argument.name}: [^,)]+(, )?`), '')
          .replace(' ()', '')
          .replace(
            `${argument.name}: $${argument.name}`,
            `${argument.name}: ${literal(wrong.value, argument.type)}`,
          );
        const { [argument.name]: _replaced, ...others } = variables;
        for (const [how, text, values] of [
          ['variable', query, { ...variables, [argument.name]: wrong.value }],
          ['literal', asLiteral, others],
        ] as const) {
          cases.push(async () => {
            const { status, body } = await postGraphQL(system.gateway.url, text, values, headers);
            const error = body.errors?.[0];
            const seen = JSON.stringify(body);
            const problems = [
              status === 400 ? null : `status ${status}`,
              error?.extensions?.code === 'BAD_USER_INPUT'
                ? null
                : `code ${error?.extensions?.code}`,
              error?.extensions?.argument === argument.name
                ? null
                : `argument ${error?.extensions?.argument}`,
              ...INTERNAL_DETAIL.filter((p) => p.test(seen)).map((p) => `shows ${p}`),
            ].filter(Boolean);
            if (problems.length)
              failures.push(
                `${field.name}(${argument.name}) ${how}, ${wrong.what}: ${problems.join(', ')} — ${error?.message}`,
              );
          });
        }
      }
    }
  }
  for (let i = 0; i < cases.length; i += 6)
    await Promise.all(cases.slice(i, i + 6).map((c) => c()));
  console.log(`bad input: ${cases.length} requests, ${failures.length} wrong answers`);
  expect(cases.length).toBeGreaterThan(200);
  expect(failures).toEqual([]);
}, 300_000);

it('covers every argument type the API has', () => {
  const named = new Set(
    rootOperations(schema).flatMap(({ field }) => field.args.map((a) => getNamedType(a.type).name)),
  );
  // A new kind of argument (say a new custom scalar) must get its wrong values in argumentValues.ts.
  for (const name of named) expect(wrongValues(schema.getType(name) as never)).not.toEqual([]);
});
