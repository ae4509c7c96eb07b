import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

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
