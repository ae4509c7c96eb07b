import { composeServices } from '@apollo/composition';
import { GraphQLScalarType, Kind, parse } from 'graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';

export interface SubgraphEndpoint {
  name: string;
  url: string;
  sdl: string;
}

/**
 * Composes the supergraph in-process from each subgraph's own SDL (no introspection at run time,
 * no external tool). Start-up fails with every composition error, so a subgraph that breaks the
 * federation contract is found before anyone queries it.
 */
export function composeSupergraph(subgraphs: SubgraphEndpoint[]): string {
  const result = composeServices(
    subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })),
  );
  if (result.errors) {
    const details = result.errors.map((e) => `  - ${e.message}`).join('\n');
    throw new Error(`The agency subgraphs do not compose into a supergraph:\n${details}`);
  }
  return result.supergraphSdl;
}

/**
 * Every field name of each type across the subgraphs, including fields hidden from clients
 * (`@inaccessible`) that the planner still fetches for itself (keys, `@requires`).
 */
export function fieldNamesByType(subgraphs: SubgraphEndpoint[]): (typeName: string) => Set<string> {
  const names = new Map<string, Set<string>>();
  for (const { sdl } of subgraphs) {
    for (const definition of parse(sdl).definitions) {
      if (
        definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
        definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
        definition.kind !== Kind.INTERFACE_TYPE_DEFINITION
      )
        continue;
      const fields = names.get(definition.name.value) ?? new Set<string>();
      for (const field of definition.fields ?? []) fields.add(field.name.value);
      names.set(definition.name.value, fields);
    }
  }
  return (typeName) => names.get(typeName) ?? new Set();
}

/**
 * The real parsing of each custom scalar the subgraphs declare. The gateway builds its schema from
 * the supergraph's SDL, where a custom scalar accepts anything: without these, a malformed value
 * passes the gateway and fails inside a subgraph, whose raw answer then reaches the client. The
 * policy step checks every argument against these before anything is planned
 * (`policyEnforcement.ts`).
 */
const SCALARS: Record<string, { parse: GraphQLScalarType; means: string }> = {
  DateTimeISO: {
    parse: GraphQLDateTimeISO,
    means: 'a date and time with its offset, e.g. 2026-11-01T00:00:00Z',
  },
};

/**
 * Why a value is not one of the given scalar, in words a client can act on; null when it is (or
 * when the scalar is built in, or has no stricter parsing than the gateway's own).
 */
export function scalarProblem(scalar: string, value: unknown): string | null {
  const known = SCALARS[scalar];
  if (!known) return null;
  try {
    known.parse.parseValue(value);
    return null;
  } catch {
    const shown = JSON.stringify(value) ?? String(value);
    return `${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown} is not a ${scalar} (${known.means})`;
  }
}
