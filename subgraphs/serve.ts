import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { randomUUID } from 'node:crypto';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { describe, httpService, TlsIdentity } from '../service/httpService';
import type { AgencyDatabase } from '../database/agencyDataSource';
import type { KeyLike } from 'jose';
import {
  ACCESS_CONTEXT_HEADER,
  SeenAccessContexts,
  verifyForwardedAccess,
} from '../schema/forwardedAccess';
import type { SubgraphDefinition } from '../schema/subgraphDefinition';
import { serviceLog } from '../service/logger';
import { subgraphRequestSpan } from '../gateway/tracing';

export interface RunningSubgraph {
  name: string;
  /** The organisation that is custodian of its records. */
  custodian: string;
  url: string;
  sdl: string;
  database: AgencyDatabase;
  stop(): Promise<void>;
}

/** The gateway request a subgraph request serves, in its context (a symbol: no resolver's name). */
const GATEWAY_REQUEST = Symbol('gateway request');

export interface SubgraphServeOptions {
  host: string;
  /** Serve HTTPS with this certificate (distributed mode across hosts); plain HTTP without. */
  tls?: TlsIdentity | null;
  /**
   * Log one line per read answered, naming only the gateway request it was for (no personal
   * data), so that every read here can be matched to the gateway's audit record. Off by default
   * in one process (tests, the embedded demo: it would flood their output); on for a service.
   */
  logReads?: boolean;
}

/** Serves the subgraph over HTTP(S) on its own (open) database. */
export async function startSubgraph(
  definition: SubgraphDefinition,
  database: AgencyDatabase,
  port: number,
  gatewayPublicKey: KeyLike,
  options: SubgraphServeOptions = { host: '127.0.0.1' },
): Promise<RunningSubgraph> {
  const { schema, sdl } = await definition.buildSchema();
  // The access contexts already answered: each is good for one fetch.
  const seen = new SeenAccessContexts();
  const logReads = options.logReads ?? process.env.SUBGRAPH_READ_LOG === 'true';
  const http = httpService({
    name: definition.name,
    port,
    host: options.host,
    tls: options.tls,
    mount: (app) =>
      app.use(
        '/',
        subgraphRequestSpan(definition.name),
        express.json({ limit: '1mb' }),
        expressMiddleware(server, {
          // Only the one operation the gateway signed for this subgraph is answered, once: no way
          // around its policies, and no second use of a captured context.
          context: async ({ req }) => {
            const header = req.headers[ACCESS_CONTEXT_HEADER];
            const { forwarded, requestId } = await verifyForwardedAccess(
              Array.isArray(header) ? header[0] : header,
              gatewayPublicKey,
              { subgraph: definition.name, method: req.method, body: req.body },
              seen,
            );
            return Object.assign(definition.createContext(database.dataSource, forwarded), {
              [GATEWAY_REQUEST]: requestId,
            });
          },
        }),
      ),
    readiness: async () => {
      const reachable = await database.dataSource
        .query('SELECT 1')
        .then(() => 'up')
        .catch((error: unknown) => `down: ${describe(error)}`);
      return { ready: reachable === 'up', checks: { database: reachable } };
    },
  });
  const server = new ApolloServer({
    schema,
    includeStacktraceInErrorResponses: false,
    // The process stops the server itself on SIGTERM or SIGINT, finishing in-flight requests first.
    stopOnTerminationSignals: false,
    formatError: (formatted, error) => maskInternalError(definition.name, formatted, error),
    plugins: [
      // Tracing would send timings to the gateway for Apollo's cloud reporting, which is not used.
      ApolloServerPluginInlineTraceDisabled(),
      // Nothing an agency answers may be cached (the HTTP service says `no-store` whatever the answer),
      // so Apollo's cache-control hints are not computed: that plugin wraps every field's resolver.
      ApolloServerPluginCacheControlDisabled(),
      ...(logReads ? [readLog(definition.name)] : []),
      // On stop: refuse new connections, let in-flight requests finish (up to 10 s).
      ApolloServerPluginDrainHttpServer({ httpServer: http.server }),
    ],
  });
  await server.start();
  await http.listen();
  let stopped: Promise<void> | null = null;
  return {
    name: definition.name,
    custodian: definition.custodian,
    url: `${options.tls ? 'https' : 'http'}://${options.host}:${http.port}/`,
    sdl,
    database,
    stop() {
      stopped ??= server.stop().then(() => database.dataSource.destroy());
      return stopped;
    },
  };
}

/** `read answered` with the gateway request's id: which audited request each answered read served. */
function readLog(agency: string): ApolloServerPlugin<{ [GATEWAY_REQUEST]?: string }> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async willSendResponse() {
          const requestId = contextValue[GATEWAY_REQUEST];
          if (requestId) serviceLog(agency).info({ requestId }, 'read answered');
        },
      };
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
  serviceLog(agency).error(
    { incident, reason: cause instanceof Error ? cause.message : String(cause) },
    'internal error',
  );
  return {
    ...formatted,
    message: `The ${agency} service failed (incident ${incident} in its log).`,
  };
}
