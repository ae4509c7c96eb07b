import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { AgencyDatabase, openEmbeddedAgencyDatabase } from '../database/agencyDataSource';
import type { EmbeddedPostgres } from '../database/embeddedPostgres';
import type { SubgraphDefinition } from '../schema/subgraphDefinition';
import type { SyntheticFamily } from '../synthetic/population';

export interface RunningSubgraph {
  name: string;
  url: string;
  sdl: string;
  database: AgencyDatabase;
  stop(): Promise<void>;
}

/** Opens the subgraph's own database, seeds it, and serves the subgraph over HTTP. */
export async function startSubgraph(
  definition: SubgraphDefinition,
  embedded: EmbeddedPostgres,
  population: SyntheticFamily[],
  port: number,
): Promise<RunningSubgraph> {
  const database = await openEmbeddedAgencyDatabase(embedded, definition.name, definition.entities);
  await definition.seed(database.dataSource, population);
  const { schema, sdl } = await definition.buildSchema();
  const server = new ApolloServer({
    schema,
    includeStacktraceInErrorResponses: false,
    // Tracing would send timings to the gateway for Apollo's cloud reporting, which is not used.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port, host: '127.0.0.1' },
    context: async () => definition.createContext(database.dataSource),
  });
  return {
    name: definition.name,
    url,
    sdl,
    database,
    async stop() {
      await server.stop();
      await database.dataSource.destroy();
    },
  };
}
