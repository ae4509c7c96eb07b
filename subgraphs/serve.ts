import { ApolloServer } from '@apollo/server';
import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { randomUUID } from 'node:crypto';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { AgencyDatabase } from '../database/agencyDataSource';
import type { KeyLike } from 'jose';
import { ACCESS_CONTEXT_HEADER, verifyForwardedAccess } from '../schema/forwardedAccess';
import type { SubgraphDefinition } from '../schema/subgraphDefinition';

export interface RunningSubgraph {
  name: string;
  /** The organisation that is custodian of its records. */
  custodian: string;
  url: string;
  sdl: string;
  database: AgencyDatabase;
  stop(): Promise<void>;
}

/** Serves the subgraph over HTTP on its own (open) database. */
export async function startSubgraph(
  definition: SubgraphDefinition,
  database: AgencyDatabase,
  port: number,
  gatewayPublicKey: KeyLike,
): Promise<RunningSubgraph> {
  const { schema, sdl } = await definition.buildSchema();
  const server = new ApolloServer({
    schema,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => maskInternalError(definition.name, formatted, error),
    // Tracing would send timings to the gateway for Apollo's cloud reporting, which is not used.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port, host: '127.0.0.1' },
    // Only requests the gateway signed are answered: no way around its policies.
    context: async ({ req }) => {
      const header = req.headers[ACCESS_CONTEXT_HEADER];
      const forwarded = await verifyForwardedAccess(
        Array.isArray(header) ? header[0] : header,
        gatewayPublicKey,
      );
      return definition.createContext(database.dataSource, forwarded);
    },
  });
  let stopped: Promise<void> | null = null;
  return {
    name: definition.name,
    custodian: definition.custodian,
    url,
    sdl,
    database,
    stop() {
      stopped ??= server.stop().then(() => database.dataSource.destroy());
      return stopped;
    },
  };
}

/**
 * An unexpected failure (a database error, a bug) is logged here, at the agency, and leaves with a
 * plain message: SQL and internals are no business of the gateway's clients.
 */
function maskInternalError(
  agency: string,
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  if (formatted.extensions?.code !== ApolloServerErrorCode.INTERNAL_SERVER_ERROR) return formatted;
  const incident = randomUUID();
  // The message only: a database error object carries the query's parameters (personal data).
  const cause = unwrapResolverError(error);
  console.error(
    `[${agency}] internal error ${incident}: ${cause instanceof Error ? cause.message : cause}`,
  );
  return {
    ...formatted,
    message: `The ${agency} service failed (incident ${incident} in its log).`,
  };
}
