import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLError } from 'graphql';
import type { KeyLike } from 'jose';
import type { DataSource } from 'typeorm';
import { auditPlugin, auditRefusal } from './auditPlugin';
import { inOrder } from './inOrder';
import { signForwardedAccess } from '../schema/forwardedAccess';
import { AgencyDataSource } from './agencyDataSource';
import { AuthenticationConfig, createTokenVerifier } from './authentication';
import { policyEnforcementPlugin } from './policyEnforcement';
import { caseFactsFrom, GatewayContext, resolveAccess } from './requestAccess';
import { graphiqlAssets, graphiqlLandingPage } from './graphiql';
import { composeSupergraph, SubgraphEndpoint } from './supergraph';
import { UnavailableAgency } from './unavailableAgency';

export interface GatewayOptions {
  subgraphs: SubgraphEndpoint[];
  port: number;
  subgraphTimeoutMs: number;
  authentication: AuthenticationConfig;
  /** Signs the access context forwarded to the subgraphs; they hold the public half. */
  accessSigningKey: KeyLike;
  /** The audit store (its own database): every request is recorded there before it is answered. */
  auditStore: DataSource;
  exampleQuery: () => string;
  /** Headers GraphiQL starts with (a development token in the embedded demo only). */
  exampleHeaders?: () => Promise<Record<string, string>>;
}

export interface RunningGateway {
  url: string;
  supergraphSdl: string;
  stop(): Promise<void>;
}

/**
 * The federated gateway: authenticates the caller, decides every requested field under the
 * policies and prunes what they deny (`policyEnforcement.ts`), then plans the query across the
 * agencies' subgraphs and fetches from them in parallel, forwarding the signed access context.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const supergraphSdl = composeSupergraph(options.subgraphs);
  const sdlByName = new Map(options.subgraphs.map((s) => [s.name, s.sdl]));
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) =>
      new AgencyDataSource(
        url!,
        options.subgraphTimeoutMs,
        new UnavailableAgency(name, sdlByName.get(name)!),
      ),
  });
  const server = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    plugins: [
      // The policies prune and answer withheld fields first; then the audit records what went out.
      inOrder(policyEnforcementPlugin(), auditPlugin(options.auditStore)),
      graphiqlLandingPage('/graphiql', options.exampleQuery, options.exampleHeaders),
    ],
  });
  await server.start();

  const verifyToken = await createTokenVerifier(options.authentication);
  const mash = options.subgraphs.find((s) => s.name === 'mash');
  if (!mash)
    throw new Error(
      "The hub's own subgraph (mash) is missing: the gateway cannot decide access without it.",
    );
  const caseFacts = caseFactsFrom(mash.url, options.accessSigningKey, options.subgraphTimeoutMs);
  const app = express();
  app.use('/graphiql', graphiqlAssets());
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(server, {
      context: async ({ req }): Promise<GatewayContext> => {
        const access = await resolveAccess(req.headers, verifyToken, caseFacts).catch(
          async (error: GraphQLError) => {
            // A refusal is audited too; if even that cannot be written, the refusal still stands.
            await auditRefusal(options.auditStore, error, req.headers['user-agent'] ?? null).catch(
              () => undefined,
            );
            throw error;
          },
        );
        return {
          access,
          forwardedAccess: signForwardedAccess(
            { kind: 'request', access },
            options.accessSigningKey,
          ),
        };
      },
    }),
  );
  app.use(badRequestAsGraphQLError);
  const http = await listen(app, options.port);
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/graphql`,
    supergraphSdl,
    async stop() {
      await server.stop();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function listen(app: express.Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const http = app.listen(port, '127.0.0.1', (error?: Error) =>
      error ? reject(error) : resolve(http),
    );
  });
}

/** A body that is not JSON (or too large) gets a GraphQL error with a code: never a stack trace. */
function badRequestAsGraphQLError(
  error: Error & { status?: number; type?: string },
  _req: express.Request,
  res: express.Response,
  next: express.NextFunction,
): void {
  if (res.headersSent) return next(error);
  const status = error.status && error.status < 500 ? error.status : 500;
  const message =
    error.type === 'entity.parse.failed'
      ? 'The request body is not valid JSON.'
      : error.type === 'entity.too.large'
        ? 'The request body is too large.'
        : status < 500
          ? 'The request could not be read.'
          : 'The gateway failed to handle the request.';
  if (status >= 500) console.error(`[gateway] ${error.message}`);
  res.status(status).json({
    errors: [
      { message, extensions: { code: status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' } },
    ],
  });
}
