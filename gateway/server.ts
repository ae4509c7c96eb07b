import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { DependencyChecks, describe, httpService, Readiness } from '../service/httpService';
import type { GraphQLError } from 'graphql';
import type { KeyLike } from 'jose';
import type { DataSource } from 'typeorm';
import { auditPlugin, auditRefusal } from './auditPlugin';
import { clientSafeError } from './clientErrors';
import { inOrder } from './inOrder';
import { AgencyDataSource } from './agencyDataSource';
import { AuthenticationConfig, createTokenVerifier } from './authentication';
import { policyEnforcementPlugin } from './policyEnforcement';
import { caseFactsFrom, GatewayContext, resolveAccess } from './requestAccess';
import { graphiqlAssets, GraphiqlTab, graphiqlLandingPage } from './graphiql';
import { composeSupergraph, fieldNamesByType, SubgraphEndpoint } from './supergraph';
import { UnavailableAgency } from './unavailableAgency';
import { subgraphFetch } from './subgraphFetch';
import { resilienceFromEnvironment, SubgraphResilience } from './agencyResilience';
import { MetricsAccess, metricsEndpoint } from './metrics';
import { requestLogPlugin } from './requestLog';
import { serviceLog } from '../service/logger';

export interface GatewayOptions {
  subgraphs: SubgraphEndpoint[];
  port: number;
  /** The address to listen on: loopback by default; 0.0.0.0 behind a load balancer. */
  host?: string;
  subgraphTimeoutMs: number;
  authentication: AuthenticationConfig;
  /** Signs the access context forwarded to the subgraphs; they hold the public half. */
  accessSigningKey: KeyLike;
  /** The private CA the subgraphs' TLS certificates come from (PEM), when not a public one. */
  subgraphCaPem?: string | null;
  /** The audit store (its own database): every request is recorded there before it is answered. */
  auditStore: DataSource;
  exampleQuery: () => string;
  /** GraphiQL's tabs: each role's saved operation and headers (development tokens: embedded demo only). */
  exampleTabs?: () => Promise<GraphiqlTab[]>;
  /** Per-subgraph deadline, retry and circuit; by default from the environment (agencyResilience.ts). */
  resilience?: Record<string, SubgraphResilience>;
  /** Who may read `/metrics`; without it the gateway serves no `/metrics`. */
  metrics?: MetricsAccess | null;
}

export interface RunningGateway {
  url: string;
  port: number;
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
  const toSubgraph = subgraphFetch(options.subgraphCaPem ?? null);
  const sdlByName = new Map(options.subgraphs.map((s) => [s.name, s.sdl]));
  const resilience =
    options.resilience ??
    resilienceFromEnvironment([...sdlByName.keys()], options.subgraphTimeoutMs);
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) =>
      new AgencyDataSource(
        name,
        url!,
        resilience[name],
        new UnavailableAgency(name, sdlByName.get(name)!),
        options.accessSigningKey,
        toSubgraph,
      ),
  });
  const http = httpService({
    name: 'gateway',
    port: options.port,
    host: options.host ?? '127.0.0.1',
    mount: (app) => mountGraphQL(app),
    metrics: options.metrics ? metricsEndpoint(options.metrics) : null,
    readiness: () => gatewayReadiness(options),
  });
  const server = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    // No internal address, port, SQL, stack or raw subgraph answer in any error a client gets.
    formatError: clientSafeError,
    // graphql-js parses recursively: a bound on tokens bounds how deep a document can nest before
    // anything else reads it (the policy step then refuses more than 40 levels, with the limit).
    parseOptions: { maxTokens: MAX_TOKENS },
    // The process stops the server itself on SIGTERM or SIGINT, finishing in-flight requests first.
    stopOnTerminationSignals: false,
    plugins: [
      // The policies prune and answer withheld fields first; then the audit records what went out.
      inOrder(
        policyEnforcementPlugin(fieldNamesByType(options.subgraphs)),
        auditPlugin(options.auditStore),
        requestLogPlugin(),
      ),
      // Requests Apollo Server refuses before any operation runs (CSRF, unreadable): audited too.
      auditInvalidRequests((error) => auditEarlyRefusal(error)),
      graphiqlLandingPage('/graphiql', options.exampleQuery, options.exampleTabs),
      // On stop: refuse new connections, let in-flight requests finish (up to 10 s).
      ApolloServerPluginDrainHttpServer({ httpServer: http.server }),
    ],
  });
  await server.start();

  const verifyToken = await createTokenVerifier(options.authentication);
  const mash = options.subgraphs.find((s) => s.name === 'mash');
  if (!mash)
    throw new Error(
      "The hub's own subgraph (mash) is missing: the gateway cannot decide access without it.",
    );
  const caseFacts = caseFactsFrom(
    mash.url,
    options.accessSigningKey,
    options.subgraphTimeoutMs,
    toSubgraph,
  );
  /** One small record for a request refused before its operation ran, naming a valid token's caller. */
  const auditEarlyRefusal = async (
    error: { message: string; extensions?: Record<string, unknown> },
    headers: IncomingHttpHeaders | undefined = refusedRequest.getStore()?.headers,
  ) => {
    const bearer = headers?.authorization?.startsWith('Bearer ')
      ? headers.authorization.slice('Bearer '.length).trim()
      : null;
    const caller = bearer ? await verifyToken(bearer).catch(() => null) : null;
    const client = headers?.['user-agent'] ?? null;
    await auditRefusal(options.auditStore, error, client, { caller, rule: 'request' }).catch(
      (failure: unknown) =>
        serviceLog('gateway').error({ reason: describe(failure) }, 'refusal not audited'),
    );
  };
  const mountGraphQL = (app: express.Express) => {
    app.use('/graphiql', graphiqlAssets());
    app.use(
      '/graphql',
      // The request's headers, for auditing a refusal Apollo Server makes before any context exists.
      (req, _res, next) => refusedRequest.run({ headers: req.headers }, next),
      express.json({ limit: '1mb' }),
      expressMiddleware(server, {
        context: async ({ req }): Promise<GatewayContext> => {
          // Before anything is fetched: the case-facts lookup is made for this request too.
          const requestId = randomUUID();
          const access = await resolveAccess(req.headers, verifyToken, (reference) =>
            caseFacts(reference, requestId),
          ).catch(async (error: GraphQLError) => {
            // A refusal is audited too; if even that cannot be written, the refusal still stands.
            await auditRefusal(options.auditStore, error, req.headers['user-agent'] ?? null).catch(
              () => undefined,
            );
            throw error;
          });
          return { requestId, access };
        },
      }),
    );
    app.use(badRequestAsGraphQLError(auditEarlyRefusal));
  };
  await http.listen();
  let stopped: Promise<void> | null = null;
  return {
    url: `http://localhost:${http.port}/graphql`,
    port: http.port,
    supergraphSdl,
    stop() {
      stopped ??= server.stop();
      return stopped;
    },
  };
}

/**
 * Ready when the gateway can answer: the audit store takes records (no answer goes out without
 * one) and the hub's own subgraph answers (no access can be decided without it). An agency that
 * is down is reported, not a reason to stop: its checks show as UNAVAILABLE.
 */
async function gatewayReadiness(options: GatewayOptions): Promise<Readiness> {
  const checks: DependencyChecks = {};
  const toSubgraph = subgraphFetch(options.subgraphCaPem ?? null);
  checks['audit store'] = await options.auditStore
    .query('SELECT 1')
    .then(() => 'up')
    .catch((error: unknown) => `down: ${describe(error)}`);
  await Promise.all(
    options.subgraphs.map(async ({ name, url }) => {
      const response = await toSubgraph(new URL('/health/ready', url), {
        signal: AbortSignal.timeout(1000),
      }).catch((error: unknown) => describe(error));
      checks[name] =
        typeof response === 'string'
          ? `down: ${response}`
          : response.ok
            ? 'up'
            : `not ready (${response.status})`;
    }),
  );
  return { ready: checks['audit store'] === 'up' && checks.mash === 'up', checks };
}

/**
 * The parser's token limit: ten times the largest operation the README, GraphiQL's tabs and the
 * benchmark send, and far below the nesting at which graphql-js's recursive parser overflows.
 */
const MAX_TOKENS = 5000;

// The headers of the request being handled, for a refusal made where no request is in reach.
const refusedRequest = new AsyncLocalStorage<{ headers: IncomingHttpHeaders }>();

/** Audits what Apollo Server refuses before a request context exists (its CSRF check, a bad GET). */
function auditInvalidRequests(
  audit: (error: { message: string; extensions?: Record<string, unknown> }) => Promise<void>,
): ApolloServerPlugin<GatewayContext> {
  return {
    invalidRequestWasReceived: ({ error }) =>
      audit({ message: error.message, extensions: (error as Partial<GraphQLError>).extensions }),
  };
}

/**
 * A body that is not JSON (or too large) gets a GraphQL error with a code, never a stack trace,
 * and its audit record (a token that was valid names the caller; nothing of the body is kept).
 */
function badRequestAsGraphQLError(
  audit: (
    error: { message: string; extensions?: Record<string, unknown> },
    headers: IncomingHttpHeaders,
  ) => Promise<void>,
) {
  return async (
    error: Error & { status?: number; type?: string },
    req: express.Request,
    res: express.Response,
    next: express.NextFunction,
  ): Promise<void> => {
    if (res.headersSent) return next(error);
    const status = error.status && error.status < 500 ? error.status : 500;
    const message =
      error.type === 'entity.parse.failed'
        ? 'The request body is not valid JSON: send the query as a POST with content-type: application/json and a JSON body.'
        : error.type === 'entity.too.large'
          ? 'The request body is too large (the limit is 1 MB).'
          : status < 500
            ? 'The request could not be read.'
            : 'The gateway failed to handle the request.';
    if (status >= 500)
      serviceLog('gateway').error({ reason: error.message }, 'request could not be handled');
    const code = status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR';
    await audit({ message, extensions: { code } }, req.headers);
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}
