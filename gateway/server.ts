import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { DependencyChecks, describe, httpService, Readiness } from '../service/httpService';
import type { GraphQLError } from 'graphql';
import type { KeyLike } from 'jose';
import type { DataSource } from 'typeorm';
import { auditPlugin, auditRefusal } from './auditPlugin';
import {
  argumentNamingPlugin,
  clientSafeError,
  REQUEST_ID_HEADER,
  requestIdPlugin,
  withRequestId,
} from './clientErrors';
import { inOrder } from './inOrder';
import { AgencyDataSource } from './agencyDataSource';
import { AuthenticationConfig, createTokenVerifier } from './authentication';
import { policyEnforcementPlugin } from './policyEnforcement';
import { caseFactsFrom, GatewayContext, resolveAccess } from './requestAccess';
import { graphiqlAssets, GraphiqlTab, graphiqlLandingPage } from './graphiql';
import { composeSupergraph, fieldNamesByType, SubgraphEndpoint } from './supergraph';
import { UnavailableAgency } from './unavailableAgency';
import { subgraphFetch } from './subgraphFetch';
import {
  DEFAULT_QUERY_LIMITS,
  EarlyRefusal,
  LIMIT_CODES,
  QueryLimits,
  queryLimitsPlugin,
  refuseBatches,
  requestBodyLimit,
} from './queryLimits';
import { resilienceFromEnvironment, SubgraphResilience } from './agencyResilience';
import { MetricsAccess, metricsEndpoint } from './metrics';
import { requestLogPlugin } from './requestLog';
import {
  committedOperations,
  fillRegisteredDocument,
  OPERATION_NOT_REGISTERED,
  RegisteredOperations,
  refuseUnregisteredHash,
  registeredOperationsPlugin,
} from './registeredOperations';
import {
  DEFAULT_SERVICE_ACCOUNT_RATE_LIMIT,
  RATE_LIMITED,
  ServiceAccountRateLimit,
  serviceAccountRateLimiter,
} from './serviceAccountRateLimit';
import { TOKEN_PATH, tokenEndpoint, TokenEndpointOptions } from './clientCredentials';
import type { Caller } from '../policies/accessContext';
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
  /** What one request may ask (`queryLimits.ts`); the documented defaults when not given. */
  limits?: QueryLimits;
  /**
   * The embedded demo: GraphiQL, introspection and "Did you mean…" suggestions on. Off by default
   * (production), so the schema is not handed to whoever can reach the gateway.
   */
  demo?: boolean;
  /** Per-subgraph deadline, retry and circuit; by default from the environment (agencyResilience.ts). */
  resilience?: Record<string, SubgraphResilience>;
  /** Who may read `/metrics`; without it the gateway serves no `/metrics`. */
  metrics?: MetricsAccess | null;
  /**
   * The operations service accounts may run: the repository's manifest (`operations/`) when not
   * given. null lets them run anything: only for tests of the policy layer beneath it.
   */
  registeredOperations?: RegisteredOperations | null;
  /** Each service account's request rate: the default when not given; null: unlimited (tests). */
  serviceAccountRateLimit?: ServiceAccountRateLimit | null;
  /** The embedded demo's client-credentials token endpoint (`POST /oauth/token`); none in production. */
  tokenEndpoint?: TokenEndpointOptions | null;
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
  const limits = options.limits ?? DEFAULT_QUERY_LIMITS;
  const demo = options.demo ?? false;
  const registered =
    options.registeredOperations === undefined
      ? committedOperations()
      : options.registeredOperations;
  const rateLimit =
    options.serviceAccountRateLimit === undefined
      ? DEFAULT_SERVICE_ACCOUNT_RATE_LIMIT
      : options.serviceAccountRateLimit;
  const limitServiceAccount = rateLimit ? serviceAccountRateLimiter(rateLimit) : null;
  const server = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    introspection: demo,
    hideSchemaDetailsFromClientErrors: !demo,
    // No internal address, port, SQL, stack or raw subgraph answer in any error a client gets;
    // each carries the request's id, which the audit record and the gateway's log lines carry too.
    formatError: (formatted, error) => {
      const requestId = currentRequest.getStore()?.requestId;
      const safe = clientSafeError(formatted);
      // The operator's side of a failure the client sees only as a code and a request id.
      if (safe.extensions?.code === 'INTERNAL_SERVER_ERROR')
        serviceLog('gateway').error({ requestId, reason: describe(error) }, 'request failed');
      return withRequestId(safe, requestId);
    },
    // graphql-js parses recursively: a bound on tokens bounds how deep a document can nest before
    // anything else reads it (the limits then refuse nesting deeper than `limits.depth`).
    parseOptions: { maxTokens: limits.tokens },
    // The process stops the server itself on SIGTERM or SIGINT, finishing in-flight requests first.
    stopOnTerminationSignals: false,
    plugins: [
      // The policies prune and answer withheld fields first; then the audit records what went out.
      inOrder(
        // A service account's operation is a registered one before any other step reads it.
        ...(registered ? [registeredOperationsPlugin(registered)] : []),
        queryLimitsPlugin(limits),
        policyEnforcementPlugin(fieldNamesByType(options.subgraphs)),
        auditPlugin(options.auditStore),
        requestLogPlugin(),
        requestIdPlugin(),
      ),
      argumentNamingPlugin(),
      // No answer is cacheable (the HTTP service says `no-store` on every answer, refusals included).
      ApolloServerPluginCacheControlDisabled(),
      // Requests Apollo Server refuses before any operation runs (CSRF, unreadable): audited too.
      auditInvalidRequests((error) => auditEarlyRefusal(error)),
      demo
        ? graphiqlLandingPage('/graphiql', options.exampleQuery, options.exampleTabs)
        : ApolloServerPluginLandingPageDisabled(),
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
    headers: IncomingHttpHeaders | undefined = currentRequest.getStore()?.headers,
    requestId: string | undefined = currentRequest.getStore()?.requestId,
  ) => {
    const bearer = headers?.authorization?.startsWith('Bearer ')
      ? headers.authorization.slice('Bearer '.length).trim()
      : null;
    const caller = bearer ? await verifyToken(bearer).catch(() => null) : null;
    const client = headers?.['user-agent'] ?? null;
    await auditRefusal(options.auditStore, error, client, {
      caller,
      rule: 'request',
      requestId,
    }).catch((failure: unknown) =>
      serviceLog('gateway').error({ requestId, reason: describe(failure) }, 'refusal not audited'),
    );
  };
  /** A request refused before Apollo Server reads it: audited, then answered with its code. */
  const refuseEarly = (req: express.Request, res: express.Response, refusal: EarlyRefusal) => {
    // From the response, not the async context: a chunked body's data events run outside it.
    const requestId = String(res.getHeader(REQUEST_ID_HEADER));
    void auditEarlyRefusal(refusal, req.headers, requestId).then(() => {
      if (res.headersSent) return;
      const error = { message: refusal.message, extensions: refusal.extensions };
      res.status(refusal.status).json({ errors: [withRequestId(error, requestId)] });
    });
  };
  const mountGraphQL = (app: express.Express) => {
    if (demo) app.use('/graphiql', graphiqlAssets());
    if (options.tokenEndpoint)
      app.use(
        TOKEN_PATH,
        tokenEndpoint(options.tokenEndpoint, (error, requestId, client) =>
          auditRefusal(options.auditStore, error, client, {
            requestId,
            rule: 'client-credentials',
          }),
        ),
      );
    app.use(
      '/graphql',
      // The request's id (sent back in a header, carried by every error, its audit record and its
      // subgraph reads) and headers, for auditing a refusal made before any context exists.
      (req, res, next) => {
        const requestId = randomUUID();
        res.setHeader(REQUEST_ID_HEADER, requestId);
        currentRequest.run({ headers: req.headers, requestId }, next);
      },
      requestBodyLimit(limits.bodyBytes, refuseEarly),
      express.json({ limit: limits.bodyBytes }),
      refuseBatches(refuseEarly),
      ...(registered ? [fillRegisteredDocument(registered)] : []),
      expressMiddleware(server, {
        context: async ({ req }): Promise<GatewayContext> => {
          // Before anything is fetched: the case-facts lookup is made for this request too.
          const requestId = currentRequest.getStore()?.requestId ?? randomUUID();
          let authenticated: Caller | null = null;
          // A service account is counted, and a hash it sends checked, before its case is looked up.
          const verifyCaller = async (token: string) => {
            const caller = await verifyToken(token);
            authenticated = caller;
            await limitServiceAccount?.(caller);
            if (registered) refuseUnregisteredHash(registered, caller, req.body);
            return caller;
          };
          const access = await resolveAccess(req.headers, verifyCaller, (reference) =>
            caseFacts(reference, requestId),
          ).catch(async (error: GraphQLError) => {
            // A refusal is audited too; if even that cannot be written, the refusal still stands.
            // A service account's own refusals name it, and the control that refused it.
            const rule = SERVICE_ACCOUNT_REFUSALS[String(error.extensions?.code)];
            await auditRefusal(options.auditStore, error, req.headers['user-agent'] ?? null, {
              requestId,
              ...(rule ? { caller: authenticated, rule } : {}),
            }).catch(() => undefined);
            throw error;
          });
          return { requestId, access };
        },
      }),
    );
    app.use(badRequestAsGraphQLError(auditEarlyRefusal, limits.bodyBytes));
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

/** The rule a service account's refusal is audited under, by its code. */
const SERVICE_ACCOUNT_REFUSALS: Record<string, string> = {
  [RATE_LIMITED]: 'service-account-rate-limit',
  [OPERATION_NOT_REGISTERED]: 'registered-operations',
};

// The request being handled (its id and headers), for an error or a refusal made where the
// request itself is not in reach (formatError, Apollo Server's early refusals).
const currentRequest = new AsyncLocalStorage<{ headers: IncomingHttpHeaders; requestId: string }>();

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
    requestId: string,
  ) => Promise<void>,
  bodyLimit: number,
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
          ? `The request body is too large: the limit is ${bodyLimit} bytes.`
          : status < 500
            ? 'The request could not be read.'
            : 'The gateway failed to handle the request.';
    const requestId = String(res.getHeader(REQUEST_ID_HEADER));
    if (status >= 500)
      serviceLog('gateway').error(
        { requestId, reason: error.message },
        'request could not be handled',
      );
    const code =
      error.type === 'entity.too.large'
        ? LIMIT_CODES.bodyBytes
        : status < 500
          ? 'BAD_REQUEST'
          : 'INTERNAL_SERVER_ERROR';
    await audit({ message, extensions: { code } }, req.headers, requestId);
    res
      .status(status)
      .json({ errors: [withRequestId({ message, extensions: { code } }, requestId)] });
  };
}
