import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { IResolvers, printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLSchema, parse } from 'graphql';
import { buildSchema, BuildSchemaOptions, createResolversMap } from 'type-graphql';
import { locateWithheldFields } from './denialError';

const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", ' +
  'import: ["@key", "@external", "@requires", "@shareable", "@inaccessible"])';

/**
 * Builds an Apollo Federation 2 subgraph schema from type-graphql classes: type-graphql prints the
 * SDL with the federation directives, and @apollo/subgraph adds `_entities`/`_service` and the
 * reference resolvers. Used by every subgraph, so federation is set up in one place.
 */
export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, 'skipCheck'>,
  referenceResolvers: IResolvers = {},
): Promise<{ schema: GraphQLSchema; sdl: string }> {
  // skipCheck: an agency subgraph has no Query of its own, only fields on the Subject entity.
  const typeGraphqlSchema = await buildSchema({ ...options, skipCheck: true });
  const sdl = `${FEDERATION_LINK}\n\n${printSchemaWithDirectives(typeGraphqlSchema)}`;
  const resolvers = createResolversMap(typeGraphqlSchema) as Record<string, object>;
  for (const [typeName, typeResolvers] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...resolvers[typeName], ...(typeResolvers as object) };
  }
  const schema = locateWithheldFields(
    buildSubgraphSchema({
      typeDefs: parse(sdl),
      resolvers: resolvers as GraphQLResolverMap<unknown>,
    }),
  );
  return { schema, sdl };
}
